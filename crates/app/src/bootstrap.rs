//! The first start: the root unit and the `admin` account with a one-time password.

use rand::Rng;
use store::{NewUnit, NewUser, Store, StoreError};

pub const ROOT_CODE: &str = "ROOT";

/// A readable one-time password: 4 groups of 4 from an unambiguous alphabet.
pub fn one_time_password() -> String {
    const ALPHA: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| ALPHA[rng.gen_range(0..ALPHA.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// On an empty database: creates the root unit and `admin`. Returns the admin's one-time
/// password when it did.
pub async fn first_start(store: &Store) -> Result<Option<String>, StoreError> {
    let root = match store.root_unit().await? {
        Some(root) => root,
        None => store
            .create_unit(&NewUnit {
                code: ROOT_CODE.into(),
                name: "信访工作机构".into(),
                name_en: "Petition office".into(),
                level: domain::UnitLevel::Province,
                parent_id: None,
            })
            .await
            .or_else(|e| match e {
                // Another instance created it at the same moment.
                StoreError::Duplicate { .. } => Ok(root_placeholder()),
                e => Err(e),
            })?,
    };
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let root = if root.id == 0 {
        store.unit_by_code(ROOT_CODE).await?
    } else {
        root
    };
    let password = one_time_password();
    let hash = crate::password::hash_async(password.clone())
        .await
        .map_err(StoreError::Data)?;
    let created = store
        .create_user(&NewUser {
            username: domain::role::FIRST_ADMIN_USERNAME.into(),
            display_name: "系统管理员".into(),
            role: domain::Role::Admin,
            unit_id: root.id,
            password_hash: hash,
        })
        .await;
    match created {
        Ok(admin) => {
            // The one-time password is only a way in: it must be changed at first login.
            store.set_must_change_password(admin.id, true).await?;
            Ok(Some(password))
        }
        Err(StoreError::Duplicate { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn root_placeholder() -> store::Unit {
    store::Unit {
        id: 0,
        code: ROOT_CODE.into(),
        name: String::new(),
        name_en: String::new(),
        level: domain::UnitLevel::Province,
        parent_id: None,
        path: "/".into(),
        retired: false,
    }
}
