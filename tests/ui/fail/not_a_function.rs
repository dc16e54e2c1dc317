use authorized_api::authorized;

#[authorized(sudo = uid(1001))]
struct Projects;

fn main() {}
