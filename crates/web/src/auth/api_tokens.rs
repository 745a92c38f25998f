//! Making an API token: a random secret shown once, stored by its hash only, that works for a
//! lifetime its maker chooses, up to a year.

use super::secrets;
use homeward_domain::{AccountId, FieldError, TokenId};
use homeward_store::{ApiToken, Store, StoreError};
use jiff::Timestamp;

/// How long an API token works, in whole days: one of [`TokenLifetime::CHOICES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime {
    days: i64,
}

impl TokenLifetime {
    /// The lifetime a token gets unless its maker chooses another: 90 days, long enough for a
    /// system's quarter, short enough that a forgotten token stops by itself.
    pub const DEFAULT: TokenLifetime = TokenLifetime { days: 90 };
    /// The longest a token may work: a year, after which someone must choose to renew it.
    pub const MAXIMUM: TokenLifetime = TokenLifetime { days: 365 };
    /// The lifetimes the tokens page offers, shortest first.
    pub const CHOICES: [TokenLifetime; 4] = [
        TokenLifetime { days: 7 },
        TokenLifetime { days: 30 },
        TokenLifetime::DEFAULT,
        TokenLifetime::MAXIMUM,
    ];

    /// The lifetime of `days` days (as a form sends it), if it is one of the choices.
    pub fn parse(days: &str, field: &str) -> Result<TokenLifetime, FieldError> {
        days.trim()
            .parse::<i64>()
            .ok()
            .and_then(|days| {
                TokenLifetime::CHOICES
                    .into_iter()
                    .find(|choice| choice.days == days)
            })
            .ok_or_else(|| FieldError::new(field, "Select how long the token will work"))
    }

    /// Whole days.
    pub fn days(self) -> i64 {
        self.days
    }

    /// The lifetime in words: `7 days`, `1 year`.
    pub fn label(self) -> String {
        if self == TokenLifetime::MAXIMUM {
            "1 year".to_owned()
        } else {
            format!("{} days", self.days)
        }
    }

    fn duration(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(24 * self.days)
    }
}

/// Makes a new API token named `name` for `account_id`, working for `lifetime` from `now`, and
/// stores it by the hash of its secret, audited as made by `actor`; returns the token and its
/// secret (`hw_` and 64 hex digits), which is never stored and cannot be shown again. Used by
/// the tokens page, and by `homeward bench call-events` and the crash test for their senders.
pub async fn issue_api_token(
    store: &dyn Store,
    account_id: &AccountId,
    name: String,
    lifetime: TokenLifetime,
    now: Timestamp,
    actor: &str,
) -> Result<(ApiToken, String), StoreError> {
    let secret = format!("hw_{}", secrets::new_secret());
    let suffix = &secrets::new_secret()[..16];
    let token = ApiToken {
        id: TokenId::from_suffix(suffix).expect("hex digits make a valid id"),
        account_id: account_id.clone(),
        name,
        created_at: now,
        expires_at: now + lifetime.duration(),
        revoked_at: None,
    };
    store
        .create_api_token(&token, &secrets::hash_secret(&secret), actor)
        .await?;
    Ok((token, secret))
}

#[cfg(test)]
mod tests {
    use super::TokenLifetime;

    #[test]
    fn lifetimes_are_the_choices_offered_up_to_a_year() {
        assert_eq!(
            TokenLifetime::parse("90", "lifetime_days"),
            Ok(TokenLifetime::DEFAULT)
        );
        assert_eq!(
            TokenLifetime::parse(" 365 ", "lifetime_days").map(TokenLifetime::days),
            Ok(365)
        );
        for refused in ["", "0", "-7", "366", "3650", "90.0", "ninety", "8"] {
            let error = TokenLifetime::parse(refused, "lifetime_days").unwrap_err();
            assert_eq!(error.field, "lifetime_days", "{refused:?}");
        }
        assert!(
            TokenLifetime::CHOICES
                .iter()
                .all(|choice| choice.days() <= 365)
        );
        assert!(TokenLifetime::CHOICES.contains(&TokenLifetime::DEFAULT));
        assert_eq!(TokenLifetime::MAXIMUM.label(), "1 year");
        assert_eq!(TokenLifetime::DEFAULT.label(), "90 days");
    }
}
