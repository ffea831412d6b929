//! Who did it: the caller of an operation, and what kind of identity it is.
//!
//! Investigations pivot on identities, and the same identity appears as a UPN in one export, an
//! object id in another and an application id in a third. The caller keeps every identifier the
//! record offers, so a later stage can join on object id (stable) while people read the UPN.

use serde::Serialize;

/// The kind of identity behind a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallerType {
    User,
    ServicePrincipal,
    ManagedIdentity,
    #[default]
    Unknown,
}

impl CallerType {
    pub fn as_str(self) -> &'static str {
        match self {
            CallerType::User => "user",
            CallerType::ServicePrincipal => "service_principal",
            CallerType::ManagedIdentity => "managed_identity",
            CallerType::Unknown => "unknown",
        }
    }
}

/// Every identifier the record gives for its caller.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Caller {
    /// User principal name (users only).
    pub upn: Option<String>,
    /// Application (client) id of the token or the signing-in application.
    pub app_id: Option<String>,
    /// Entra object id of the user or service principal.
    pub object_id: Option<String>,
    /// Display name, or the raw caller text when it is none of the above (for example a
    /// service name such as `Microsoft.Insights/alertRules`, or a Kubernetes user name).
    pub name: Option<String>,
    pub kind: CallerType,
}

impl Caller {
    /// The one identifier to show: UPN, else name, else application id, else object id.
    pub fn display(&self) -> Option<&str> {
        self.upn
            .as_deref()
            .or(self.name.as_deref())
            .or(self.app_id.as_deref())
            .or(self.object_id.as_deref())
    }

    pub fn is_empty(&self) -> bool {
        self.display().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_prefers_upn() {
        let c = Caller {
            upn: Some("a@b.c".into()),
            object_id: Some("oid".into()),
            ..Caller::default()
        };
        assert_eq!(c.display(), Some("a@b.c"));
        let c = Caller {
            app_id: Some("app".into()),
            object_id: Some("oid".into()),
            ..Caller::default()
        };
        assert_eq!(c.display(), Some("app"));
        assert!(Caller::default().is_empty());
    }
}
