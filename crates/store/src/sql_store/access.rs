//! Accounts, sessions, API tokens and the audit trail on [`SqlStore`]. Signing in and out is in
//! `sign_ins`, changing a password in `password_changes`; accounts and tokens are written here.

use super::{SqlStore, password_changes, sign_ins};
use crate::sql::access::{self, ACCOUNT_COLUMNS, TOKEN_COLUMNS};
use crate::sql::audit::{self, AuditEvent};
use crate::sql::time::stored_timestamp;
use crate::sql::{Reference, json};
use crate::{
    AccessEvent, AccessStore, AccountSession, ApiToken, AuditFilter, AuditPage, NewSession,
    PasswordChange, RecordKind, Session, StoreError,
};
use async_trait::async_trait;
use homeward_domain::{Account, AccountId, Email, TokenId};
use jiff::Timestamp;

#[async_trait]
impl AccessStore for SqlStore {
    async fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let id = account.id.as_str();
        account.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::Account,
            index: 0,
            id: id.to_owned(),
            errors,
        })?;
        let created_at = stored_timestamp(self.now());
        let mut transaction = self.begin_write().await?;
        if let Err(error) =
            access::insert_account(&mut transaction, account, password_hash, &created_at).await
        {
            transaction.rollback().await.ok();
            let taken = match access::email_taken(&self.pool, &account.email).await {
                Ok(true) => account.email.to_string(),
                _ => id.to_owned(),
            };
            return Err(self.explain_single_insert_failure(
                error,
                RecordKind::Account,
                id,
                taken,
                None,
            ));
        }
        let after = json::object(
            ACCOUNT_COLUMNS,
            &access::account_values(account, &created_at),
        );
        let event = AuditEvent::record(actor, "create", RecordKind::Account, id, None, Some(after));
        audit::append(&mut transaction, self.now(), event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn put_account(
        &self,
        account: &Account,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let id = account.id.as_str();
        account.validate().map_err(|errors| StoreError::Invalid {
            kind: RecordKind::Account,
            index: 0,
            id: id.to_owned(),
            errors,
        })?;
        let Some(before) = self.account(&account.id).await? else {
            return self.create_account(account, password_hash, actor).await;
        };
        let mut transaction = self.begin_write().await?;
        let created_at = access::account_created_at(&mut transaction, &account.id)
            .await
            .map_err(StoreError::database)?
            .unwrap_or_default();
        if let Err(error) = access::update_account(&mut transaction, account, password_hash).await {
            transaction.rollback().await.ok();
            return Err(self.explain_single_insert_failure(
                error,
                RecordKind::Account,
                id,
                account.email.to_string(),
                None,
            ));
        }
        let event = AuditEvent::record(
            actor,
            "update",
            RecordKind::Account,
            id,
            Some(json::object(
                ACCOUNT_COLUMNS,
                &access::account_values(&before, &created_at),
            )),
            Some(json::object(
                ACCOUNT_COLUMNS,
                &access::account_values(account, &created_at),
            )),
        );
        audit::append(&mut transaction, self.now(), event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        access::account(&self.pool, id).await
    }

    async fn account_for_sign_in(
        &self,
        email: &Email,
    ) -> Result<Option<(Account, String)>, StoreError> {
        access::account_for_sign_in(&self.pool, email).await
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        access::accounts(&self.pool, self.text_order()).await
    }

    async fn create_session(&self, session: &NewSession, client: &str) -> Result<(), StoreError> {
        sign_ins::create_session(self, session, client).await
    }

    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Session>, StoreError> {
        access::session(&self.pool, token_hash, now, self.text_order()).await
    }

    async fn touch_session(&self, token_hash: &str, at: Timestamp) -> Result<(), StoreError> {
        access::touch_session(&self.pool, token_hash, at, self.text_order()).await
    }

    async fn account_sessions(
        &self,
        account_id: &AccountId,
        now: Timestamp,
    ) -> Result<Vec<AccountSession>, StoreError> {
        access::account_sessions(&self.pool, account_id, now, self.text_order()).await
    }

    async fn end_other_sessions(
        &self,
        account_id: &AccountId,
        kept_hash: &str,
        client: &str,
    ) -> Result<u64, StoreError> {
        sign_ins::end_other_sessions(self, account_id, kept_hash, client).await
    }

    async fn delete_session(&self, token_hash: &str, client: &str) -> Result<(), StoreError> {
        sign_ins::delete_session(self, token_hash, client).await
    }

    async fn change_password(
        &self,
        change: &PasswordChange,
        client: &str,
    ) -> Result<u64, StoreError> {
        password_changes::change_password(self, change, client).await
    }

    async fn create_api_token(
        &self,
        token: &ApiToken,
        token_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let id = token.id.as_str();
        let mut transaction = self.begin_write().await?;
        if let Err(error) = access::insert_token(&mut transaction, token, token_hash).await {
            transaction.rollback().await.ok();
            return Err(self.explain_single_insert_failure(
                error,
                RecordKind::ApiToken,
                id,
                id.to_owned(),
                Some(Reference {
                    field: "account_id",
                    table: "accounts",
                    id: token.account_id.to_string(),
                }),
            ));
        }
        let after = json::object(TOKEN_COLUMNS, &access::token_values(token));
        let event =
            AuditEvent::record(actor, "create", RecordKind::ApiToken, id, None, Some(after));
        audit::append(&mut transaction, self.now(), event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)
    }

    async fn api_tokens(&self, account_id: &AccountId) -> Result<Vec<ApiToken>, StoreError> {
        access::tokens(&self.pool, account_id, self.text_order()).await
    }

    async fn api_token_account(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(ApiToken, Account)>, StoreError> {
        access::token_account(&self.pool, token_hash, now, self.text_order()).await
    }

    async fn revoke_api_token(
        &self,
        id: &TokenId,
        account_id: &AccountId,
        at: Timestamp,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut transaction = self.begin_write().await?;
        let Some(token) = access::live_token(&mut transaction, id, account_id).await? else {
            transaction.rollback().await.ok();
            return Ok(false);
        };
        access::revoke_token(&mut transaction, id, at)
            .await
            .map_err(StoreError::database)?;
        let before = json::object(TOKEN_COLUMNS, &access::token_values(&token));
        let revoked = ApiToken {
            revoked_at: Some(at),
            ..token
        };
        let after = json::object(TOKEN_COLUMNS, &access::token_values(&revoked));
        let event = AuditEvent::record(
            actor,
            "revoke",
            RecordKind::ApiToken,
            id.as_str(),
            Some(before),
            Some(after),
        );
        audit::append(&mut transaction, self.now(), event)
            .await
            .map_err(StoreError::database)?;
        transaction.commit().await.map_err(StoreError::database)?;
        Ok(true)
    }

    async fn record_access_event(&self, event: &AccessEvent) -> Result<(), StoreError> {
        sign_ins::record(self, event).await
    }

    async fn audit_events(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<AuditPage, StoreError> {
        audit::page(&self.pool, filter, offset, limit).await
    }
}
