//! Synthetic provider specs of any number of endpoints, for the codegen
//! benches: a `server`-like provider (token in the header, sudo, tenant)
//! whose endpoints come in fours per resource (list with query parameters,
//! get by path parameter, create with a JSON body, delete), each resource
//! with its own object types.

use std::fmt::Write;

/// The spec's file name, as errors and the `@generated` header show it.
pub const FILE: &str = "synthetic.yaml";

/// A spec with `endpoints` endpoints.
pub fn synthetic(endpoints: usize) -> String {
    let resources = endpoints.div_ceil(4);
    let mut spec = String::from(
        "name: synthetic
docs: A made-up API for the codegen benchmarks.
auth:
  token:
    method: GET
    path: /api/oauth2/server/tokens
    params_in: query
    headers: { Accept: application/json }
    constants: { grant_type: client_credentials }
    response: { default_lifetime: 43200 }
  placement:
    header: { name: Authorization, scheme: Bearer }
    query: access_token
    default: header
  sudo:
    param: sudo
    forms: { uid: uid, login_name: loginName, email: email }
  tenant: { id: tenantId, code: tenantCode }
types:
  Kind:
    docs: What an item is.
    enum: [alpha, beta, gamma, { value: 4th-kind, rust_name: Fourth }]
",
    );
    for r in 0..resources {
        let _ = write!(
            spec,
            "  Item{r}:
    docs: An item of resource {r}.
    fields:
      itemId: {{ type: integer, docs: The item's number. }}
      displayName: string
      kind: Kind
      tags: array<string>
      limits: map<integer>
      parent: integer?
      note: {{ type: string, optional: true, docs: A note. }}
  NewItem{r}:
    docs: An item of resource {r} to create.
    fields:
      displayName: string
      kind: Kind
      tags: array<string>
      note: string?
"
        );
    }
    spec.push_str("endpoints:\n");
    for e in 0..endpoints {
        let r = e / 4;
        let _ = match e % 4 {
            0 => write!(
                spec,
                "  list_items_{r}:
    docs: Lists the items of resource {r}, a page at a time.
    method: GET
    path: /v1/resource{r}/items
    query:
      kind: Kind?
      page: integer?
      perPage: {{ type: integer, optional: true, docs: Items per page. }}
      tag: array<string>
    response: array<Item{r}>
"
            ),
            1 => write!(
                spec,
                "  get_item_{r}:
    method: GET
    path: /v1/resource{r}/items/{{itemId}}
    path_params:
      itemId: integer
    response: Item{r}
"
            ),
            2 => write!(
                spec,
                "  create_item_{r}:
    docs: Creates an item of resource {r}.
    method: POST
    path: /v1/resource{r}/items
    body: {{ type: NewItem{r} }}
    response: Item{r}
"
            ),
            _ => write!(
                spec,
                "  delete_item_{r}:
    method: DELETE
    path: /v1/resource{r}/items/{{itemId}}
    path_params:
      itemId: integer
"
            ),
        };
    }
    spec
}
