use authorized_api::authorized;

#[authorized(sudo = uid(1001))]
async fn me() -> authorized_api::Result<()> {
    Ok(())
}

fn main() {}
