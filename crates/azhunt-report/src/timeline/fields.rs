//! The facts a timeline row shows, borrowed: what every output format renders from.
//!
//! A row is built from an [`Event`] on a worker thread, but ordering a large timeline parks
//! every row on disk before it is written, so the row travels as the compact encoding of these
//! fields (see [`super::compact`]) and is rendered after the merge. Rendering from one borrowed
//! view, whichever way the fields were obtained, keeps the formats identical on both paths.

use azhunt_model::{CallerType, Event, LogKind, RecordFormat, ScopeLevel};
use jiff::Timestamp;

/// Declares [`Slot`] and [`ALL`] from one list, so the two cannot disagree.
macro_rules! slots {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// The text fields of a row, in encoding order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Slot {
            $($(#[$doc])* $name,)*
        }

        /// Every slot, in order (`ALL[i] as usize == i`).
        pub const ALL: [Slot; [$(Slot::$name),*].len()] = [$(Slot::$name),*];
    };
}

slots! {
    Category,
    Operation,
    OperationDisplay,
    Status,
    SubStatus,
    CallerUpn,
    CallerName,
    CallerAppId,
    CallerObjectId,
    Ip,
    UserAgent,
    Location,
    CorrelationId,
    EventId,
    TenantId,
    SubscriptionId,
    ResourceGroup,
    ResourceProvider,
    ResourceType,
    ResourceName,
    ResourceId,
    AuthorizationAction,
    AuthorizationScope,
    Role,
    RoleDefinitionId,
    RolePrincipalId,
    RolePrincipalType,
    RoleScope,
    SourcePath,
    /// The original record as JSON text (only with `--raw`).
    Raw,
}

/// Number of [`Slot`]s.
pub const SLOTS: usize = ALL.len();

/// One row's facts. Text borrows from the event or from an encoded row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFields<'a> {
    /// The event's instant: seconds and nanoseconds as [`Timestamp`] splits them.
    pub seconds: i64,
    pub nanos: i32,
    pub log: LogKind,
    pub caller_type: CallerType,
    pub format: RecordFormat,
    pub scope: Option<ScopeLevel>,
    pub time_zone_assumed: bool,
    pub record: u64,
    pub line: Option<u64>,
    pub text: [Option<&'a str>; SLOTS],
}

impl<'a> RowFields<'a> {
    /// The facts of `e`; `raw` is the original record's JSON text when rows carry it.
    pub fn of(e: &'a Event, raw: Option<&'a str>) -> RowFields<'a> {
        let res = e.resource.as_ref();
        let role = e.role_assignment.as_ref();
        let auth = e.authorization.as_ref();
        let mut text = [None; SLOTS];
        let mut set = |slot: Slot, value: Option<&'a str>| text[slot as usize] = value;
        set(Slot::Category, e.category.as_deref());
        set(Slot::Operation, Some(&e.operation));
        set(Slot::OperationDisplay, e.operation_display.as_deref());
        set(Slot::Status, e.status.as_deref());
        set(Slot::SubStatus, e.sub_status.as_deref());
        set(Slot::CallerUpn, e.caller.upn.as_deref());
        set(Slot::CallerName, e.caller.name.as_deref());
        set(Slot::CallerAppId, e.caller.app_id.as_deref());
        set(Slot::CallerObjectId, e.caller.object_id.as_deref());
        set(Slot::Ip, e.ip.as_deref());
        set(Slot::UserAgent, e.user_agent.as_deref());
        set(Slot::Location, e.location.as_deref());
        set(Slot::CorrelationId, e.correlation_id.as_deref());
        set(Slot::EventId, Some(&e.id.value));
        set(Slot::TenantId, e.tenant_id.as_deref());
        set(Slot::SubscriptionId, e.subscription_id.as_deref());
        set(Slot::ResourceGroup, res.and_then(|r| r.resource_group()));
        set(Slot::ResourceProvider, e.resource_provider.as_deref());
        set(Slot::ResourceType, res.and_then(|r| r.resource_type()));
        set(Slot::ResourceName, res.and_then(|r| r.name()));
        set(Slot::ResourceId, e.resource_id());
        set(
            Slot::AuthorizationAction,
            auth.and_then(|a| a.action.as_deref()),
        );
        set(
            Slot::AuthorizationScope,
            auth.and_then(|a| a.scope.as_deref()),
        );
        set(Slot::Role, role.and_then(|r| r.role_name.as_deref()));
        set(
            Slot::RoleDefinitionId,
            role.and_then(|r| r.role_definition_id.as_deref()),
        );
        set(
            Slot::RolePrincipalId,
            role.and_then(|r| r.principal_id.as_deref()),
        );
        set(
            Slot::RolePrincipalType,
            role.and_then(|r| r.principal_type.as_deref()),
        );
        set(Slot::RoleScope, role.and_then(|r| r.scope.as_deref()));
        set(Slot::SourcePath, Some(&e.source.path));
        set(Slot::Raw, raw);
        RowFields {
            seconds: e.time.as_second(),
            nanos: e.time.subsec_nanosecond(),
            log: e.log,
            caller_type: e.caller.kind,
            format: e.format,
            scope: e.scope_level(),
            time_zone_assumed: e.time_zone_assumed,
            record: e.source.record,
            line: e.source.line,
            text,
        }
    }

    pub fn get(&self, slot: Slot) -> Option<&'a str> {
        self.text[slot as usize]
    }

    /// A slot that always has text (`""` when absent).
    pub fn str(&self, slot: Slot) -> &'a str {
        self.get(slot).unwrap_or("")
    }

    pub fn time(&self) -> Timestamp {
        Timestamp::new(self.seconds, self.nanos).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The one identifier to show, as [`azhunt_model::Caller::display`] picks it.
    pub fn caller(&self) -> Option<&'a str> {
        self.get(Slot::CallerUpn)
            .or(self.get(Slot::CallerName))
            .or(self.get(Slot::CallerAppId))
            .or(self.get(Slot::CallerObjectId))
    }

    /// Whether no text of the row needs escaping in JSON ([`super::json::needs_escape`]), slot
    /// by slot: what [`super::compact::decode_checked`] tells from a row's text as one block.
    #[cfg(test)]
    pub fn plain_text(&self) -> bool {
        !self
            .text
            .iter()
            .flatten()
            .any(|t| super::json::needs_escape(t.as_bytes()))
    }

    /// The one-line description Timesketch shows.
    pub fn message(&self) -> String {
        let op = self.str(Slot::Operation);
        let op = if op.is_empty() { "(no operation)" } else { op };
        let parts = [
            (" ", self.get(Slot::Status)),
            (" by ", self.caller()),
            (" from ", self.get(Slot::Ip)),
            (" on ", self.get(Slot::ResourceId)),
            (" role=", self.get(Slot::Role)),
        ];
        // Sized exactly: growing it cost two reallocations a row.
        let len = parts
            .iter()
            .filter_map(|(sep, v)| v.map(|v| sep.len() + v.len()))
            .sum::<usize>();
        let mut m = String::with_capacity(op.len() + len);
        m.push_str(op);
        for (sep, v) in parts {
            if let Some(v) = v {
                m.push_str(sep);
                m.push_str(v);
            }
        }
        m
    }

    /// The operation and its target, for the table's last column.
    pub fn table_what(&self) -> String {
        let op = self.str(Slot::Operation);
        let op = match self.get(Slot::OperationDisplay) {
            Some(d) if op.is_empty() => d,
            _ => op,
        };
        let target = self.get(Slot::ResourceName).or(self.get(Slot::Location));
        let mut what = match target {
            Some(t) => format!("{op} → {t}"),
            None => op.to_string(),
        };
        if let Some(role) = self.get(Slot::Role) {
            what.push_str(" [role: ");
            what.push_str(role);
            if let Some(scope) = self.get(Slot::RoleScope).filter(|s| *s != "/") {
                what.push_str(" at ");
                what.push_str(scope);
            }
            what.push(']');
        }
        what
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_slot_in_order() {
        for (i, s) in ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
        }
    }
}
