//! How many wrong passwords a login attempt may follow. Failures are
//! counted per client address: an account's limit slows the address that
//! fails for that account, never the account itself, so a flood cannot
//! lock the real person out when they log in from elsewhere; an address
//! that fails for many accounts is slowed for all of them.

/// The window over which failures count, in seconds.
pub const LOGIN_WINDOW_SECS: i64 = 15 * 60;
/// Wrong passwords for one account from one address within the window.
pub const MAX_FAILURES_ACCOUNT: i64 = 5;
/// Wrong passwords for any account from one address within the window:
/// room for an office behind one address where several people mistype.
pub const MAX_FAILURES_ADDRESS: i64 = 30;

/// Failed logins within the window, from the address trying now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoginFailures {
    /// For the account being tried.
    pub account: i64,
    /// For any account.
    pub address: i64,
}

/// Why a login attempt is not even checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throttled {
    /// Too many wrong passwords for this account from this address.
    Account,
    /// Too many wrong passwords from this address.
    Address,
}

/// Whether a password may be checked for a login from an address with
/// these failures behind it.
pub fn may_try_login(failures: LoginFailures) -> Result<(), Throttled> {
    if failures.address >= MAX_FAILURES_ADDRESS {
        Err(Throttled::Address)
    } else if failures.account >= MAX_FAILURES_ACCOUNT {
        Err(Throttled::Account)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_slowed_per_address_and_an_address_for_all() {
        let f = |account, address| may_try_login(LoginFailures { account, address });
        assert_eq!(f(0, 0), Ok(()));
        assert_eq!(f(4, 4), Ok(()));
        assert_eq!(f(5, 5), Err(Throttled::Account));
        assert_eq!(f(0, 29), Ok(()));
        assert_eq!(f(0, 30), Err(Throttled::Address));
        assert_eq!(f(5, 30), Err(Throttled::Address));
    }
}
