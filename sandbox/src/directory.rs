//! The server provider's demo users and tenants (tabled in the crate docs):
//! fixed data chosen to hold the characters clients get wrong (`+`, `@`,
//! `&`, spaces, non-ASCII).

use serde::Serialize;

/// A demo user, serialized as the server shows it.
#[derive(Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub uid: u64,
    pub login_name: &'static str,
    pub email: &'static str,
    pub mobile: &'static str,
    pub name: &'static str,
    /// The ids of the tenants the user belongs to.
    #[serde(skip)]
    pub tenants: &'static [u64],
}

/// A demo tenant, serialized as the server shows it.
#[derive(Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Tenant {
    pub tenant_id: u64,
    pub tenant_code: &'static str,
    pub name: &'static str,
}

/// How a `sudo` parameter names a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UserKey<'a> {
    Uid(u64),
    LoginName(&'a str),
    Email(&'a str),
    Mobile(&'a str),
}

pub(crate) const USERS: &[User] = &[
    User {
        uid: 1001,
        login_name: "alice",
        email: "alice@example.com",
        mobile: "13800000001",
        name: "Alice Zhang",
        tenants: &[1],
    },
    User {
        uid: 1002,
        login_name: "bob",
        email: "a+b@example.com",
        mobile: "+8613800000002",
        name: "Bob Li",
        tenants: &[1, 2],
    },
    User {
        uid: 1003,
        login_name: "李雷",
        email: "lilei@example.cn",
        mobile: "13800000003",
        name: "李雷",
        tenants: &[2],
    },
];

pub(crate) const TENANTS: &[Tenant] = &[
    Tenant {
        tenant_id: 1,
        tenant_code: "acme",
        name: "Acme Corp",
    },
    Tenant {
        tenant_id: 2,
        tenant_code: "华东-01",
        name: "华东分部",
    },
    Tenant {
        tenant_id: 3,
        tenant_code: "r&d lab",
        name: "R&D Lab",
    },
];

/// The projects the server starts with: id, name, tenant code, owner uid.
pub(crate) const SEED_PROJECTS: &[(u64, &str, &str, u64)] = &[
    (1, "Rocket Skates", "acme", 1001),
    (2, "Anvil Redesign", "acme", 1002),
    (3, "上海仓库迁移", "华东-01", 1003),
    (4, "Billing Revamp", "华东-01", 1002),
];

/// The user a `sudo` key names, matched exactly.
pub(crate) fn find_user(key: UserKey<'_>) -> Option<&'static User> {
    USERS.iter().find(|u| match key {
        UserKey::Uid(uid) => u.uid == uid,
        UserKey::LoginName(name) => u.login_name == name,
        UserKey::Email(email) => u.email == email,
        UserKey::Mobile(mobile) => u.mobile == mobile,
    })
}

/// The tenant with this id.
pub(crate) fn tenant_by_id(id: u64) -> Option<&'static Tenant> {
    TENANTS.iter().find(|t| t.tenant_id == id)
}

/// The tenant with this code, matched exactly.
pub(crate) fn tenant_by_code(code: &str) -> Option<&'static Tenant> {
    TENANTS.iter().find(|t| t.tenant_code == code)
}

/// The code of the tenant with this id (every user's tenants exist).
pub(crate) fn tenant_code(id: u64) -> &'static str {
    tenant_by_id(id).map_or("", |t| t.tenant_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_found_by_every_key_exactly() {
        assert_eq!(find_user(UserKey::Uid(1002)).unwrap().login_name, "bob");
        assert_eq!(
            find_user(UserKey::Email("a+b@example.com")).unwrap().uid,
            1002
        );
        assert_eq!(find_user(UserKey::Email("a b@example.com")), None);
        assert_eq!(find_user(UserKey::LoginName("李雷")).unwrap().uid, 1003);
        assert_eq!(
            find_user(UserKey::Mobile("+8613800000002")).unwrap().uid,
            1002
        );
        assert_eq!(find_user(UserKey::LoginName("Alice")), None);
    }

    #[test]
    fn every_membership_and_project_names_a_real_tenant() {
        for user in USERS {
            assert!(user.tenants.iter().all(|&t| tenant_by_id(t).is_some()));
        }
        for (_, _, code, owner) in SEED_PROJECTS {
            let tenant = tenant_by_code(code).expect("tenant");
            let owner = find_user(UserKey::Uid(*owner)).expect("owner");
            assert!(owner.tenants.contains(&tenant.tenant_id));
        }
    }
}
