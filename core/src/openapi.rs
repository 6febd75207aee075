//! The OpenAPI 3.1 document of the edge's API, generated from the route
//! table ([`crate::api::ROUTES`]) and core's own types (their schemas
//! derived by `utoipa` from the same serde definitions the edge answers
//! with, so a field renamed in core is renamed in the document).
//!
//! Built natively: the edge's build script writes it into the worker, which
//! serves it at `GET /v1/openapi.json`; the tests read it from there.
//!
//! What each operation documents:
//! - its success status and body (`Route::status`, `Route::output`);
//! - the error envelope (`ErrorBody`) for every status the route can answer
//!   with ([`error_statuses`]);
//! - its parameters: path (with the fixed values of `{name:a|b}` segments
//!   as an `enum`), query ([`crate::api::Query`] with its limits), and the
//!   headers it reads (`Idempotency-Key`, `If-Match`);
//! - who may call it, as security requirements (the brand's admin key, the
//!   operator key, or the shopper's member token or identity);
//! - links from what a write creates to the routes that take its id (so
//!   stateful clients and fuzzers can create, then read).

use crate::api::{Caller, Input, Kind, Method, Output, Route, ROUTES};
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// Every schema the routes name, with the schemas they reference.
pub fn schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut all = Vec::new();
    macro_rules! add {
        ($($t:ty),* $(,)?) => {$(
            all.push((<$t as ToSchema>::name().into_owned(), <$t as PartialSchema>::schema()));
            <$t as ToSchema>::schemas(&mut all);
        )*};
    }
    use crate::{brand, community, disclosure, edit, error, moderation, photo, referral, reply, review_request, testimonial, webhook, widget};
    add!(
        crate::api::Health,
        error::ErrorBody,
        widget::WidgetPayload,
        widget::FeedPage,
        testimonial::NewTestimonial,
        testimonial::Submitted,
        testimonial::HelpfulVote,
        testimonial::Queue,
        testimonial::AdminTestimonial,
        moderation::Rejection,
        moderation::BulkDecision,
        moderation::BulkResult,
        crate::analytics::EventBatch,
        crate::analytics::Analytics,
        crate::import::ImportChunk,
        crate::import::ImportResult,
        crate::import::ImportStatus,
        crate::import::ImportPhotos,
        crate::import::ImportedFile,
        crate::import::ImportUndone,
        moderation::ModerationLedger,
        disclosure::Disclosure,
        review_request::NewOrder,
        reply::NewBrandReply,
        edit::TestimonialEdit,
        crate::consent::ReuseConsent,
        crate::consent::ConsentState,
        edit::Edited,
        reply::ReplyHistory,
        review_request::ReviewRequests,
        photo::PhotoView,
        crate::aspects::Aspect,
        referral::ReferrerSignup,
        referral::LinkRequest,
        referral::LinkTransfer,
        referral::ReferrerView,
        referral::Claim,
        referral::ClaimView,
        referral::LeaderboardEntry,
        referral::PurchaseReport,
        referral::ConversionView,
        referral::ConversionList,
        referral::CouponUpload,
        referral::CouponsAdded,
        referral::CouponPools,
        referral::ReferrerList,
        referral::ReferrerPatch,
        referral::NoteView,
        referral::AdminNote,
        referral::NoteQueue,
        webhook::DeliveryLog,
        community::GroupList,
        community::GroupView,
        community::Unread,
        community::Join,
        community::ThreadList,
        community::NewThread,
        community::ThreadView,
        community::NewInvite,
        community::Invite,
        community::ThreadPage,
        community::NewReply,
        community::ReplyView,
        community::Pinned,
        community::React,
        community::Reactions,
        community::Report,
        community::Reported,
        community::NewGroup,
        community::MemberRef,
        community::LeadMade,
        community::Removed,
        community::Readmitted,
        community::PendingPosts,
        community::HiddenPosts,
        community::Blocked,
        community::Unblocked,
        community::Restriction,
        community::BlockList,
        community::RemovalList,
        community::ReportList,
        community::PostModerated,
        brand::NewBrand,
        brand::BrandCreated,
        brand::ProxyKeyCreated,
        brand::SecretRotated,
        brand::BrandSecret,
        brand::ProxyKeyState,
        brand::SecretsState,
        brand::SecretState,
        brand::BrandConfig,
        crate::privacy::ShopperData,
        crate::privacy::Erased,
    );
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all.dedup_by(|a, b| a.0 == b.0);
    all
}

/// Core's limits, written onto the derived schemas: the same constants the
/// validation uses (utoipa's schema attributes take literals only, which
/// would be a second copy of each limit). `(schema, property, constraints)`.
fn limits() -> Vec<(&'static str, &'static str, Value)> {
    use crate::community as c;
    use crate::testimonial as t;
    let text = |min: usize, max: usize| json!({ "minLength": min, "maxLength": max });
    // `[[reaction, count], ...]`: utoipa writes a tuple's items as a list
    // (draft 4 style), which OpenAPI 3.1 (JSON Schema 2020-12) does not
    // accept. `prefixItems` would say it exactly, but Schemathesis 4.32
    // rewrites it into that same list and then refuses it, so each pair is
    // described as two items, each a reaction or a count.
    let reactions = json!({ "items": {
        "type": "array",
        "items": { "anyOf": [{ "type": "string", "enum": c::REACTIONS }, { "type": "integer", "minimum": 0 }] },
        "minItems": 2, "maxItems": 2
    } });
    vec![
        ("ThreadView", "reactions", reactions.clone()),
        ("ReplyView", "reactions", reactions.clone()),
        ("Reactions", "reactions", reactions),
        ("NewTestimonial", "display_name", text(1, t::NAME_MAX)),
        ("NewTestimonial", "title", json!({ "maxLength": t::TITLE_MAX })),
        ("NewTestimonial", "body", text(t::BODY_MIN, t::BODY_MAX)),
        ("NewTestimonial", "rating", json!({ "minimum": 1, "maximum": 5 })),
        ("NewTestimonial", "tags", json!({ "maxItems": t::TAGS_MAX, "items": { "type": "string", "maxLength": t::TAG_MAX } })),
        ("NewGroup", "name", text(1, c::GROUP_NAME_MAX)),
        ("NewGroup", "description", json!({ "maxLength": c::GROUP_DESCRIPTION_MAX })),
        ("NewThread", "title", text(1, c::THREAD_TITLE_MAX)),
        ("NewThread", "body", text(1, c::POST_BODY_MAX)),
        ("NewReply", "body", text(1, c::POST_BODY_MAX)),
        ("React", "kind", json!({ "enum": c::REACTIONS })),
        ("Report", "reason", json!({ "enum": c::REPORT_REASONS.map(|r| r.as_str()) })),
        ("NewInvite", "expires_in_hours", json!({ "minimum": 1, "maximum": c::INVITE_HOURS_MAX })),
        ("MemberRef", "member_key", json!({ "maxLength": c::MEMBER_KEY_MAX, "pattern": "^(m|id|post):." })),
        ("CouponUpload", "codes", json!({ "minItems": 1, "maxItems": crate::referral::COUPONS_PER_UPLOAD_MAX })),
        ("Join", "display_name", text(1, c::MEMBER_NAME_MAX)),
        ("Claim", "code", json!({ "minLength": crate::referral::CODE_LEN, "maxLength": crate::referral::CODE_LEN })),
        ("PurchaseReport", "order_id", text(1, crate::referral::ORDER_ID_MAX)),
        ("PurchaseReport", "currency", json!({ "enum": crate::referral::CURRENCIES })),
        ("PurchaseReport", "amount_minor", json!({ "minimum": 1, "maximum": crate::referral::AMOUNT_MINOR_MAX })),
        ("ReferrerSignup", "name", text(1, crate::referral::REFERRER_NAME_MAX)),
        ("LinkTransfer", "token", json!({ "minLength": 57, "maxLength": 57, "pattern": "^[0-9a-f]{24}\\.[0-9a-f]{32}$" })),
        ("Tier", "testimonials", json!({ "maximum": crate::referral::TIER_TESTIMONIALS_MAX })),
        ("EventBatch", "events", json!({ "minItems": 1, "maxItems": crate::analytics::EVENTS_MAX })),
    ]
}

/// Applies [`limits`]; the names of rules whose schema or property is
/// missing (a test keeps this empty).
fn constrain(schemas: &mut Map<String, Value>) -> Vec<String> {
    let mut missing = Vec::new();
    for (schema, property, rule) in limits() {
        let Some(Value::Object(target)) = schemas.get_mut(schema).and_then(|s| s.pointer_mut(&format!("/properties/{property}"))) else {
            missing.push(format!("{schema}.{property}"));
            continue;
        };
        for (k, v) in rule.as_object().into_iter().flatten() {
            target.insert(k.clone(), v.clone());
        }
    }
    missing
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The statuses other than success a route can answer with, each with the
/// error envelope.
pub fn error_statuses(r: &Route) -> Vec<u16> {
    let mut s = vec![400, 404, 503];
    if matches!(r.op, crate::api::Op::Health | crate::api::Op::OpenApi) {
        return Vec::new();
    }
    let brand_scoped = r.path.contains("{brand}");
    let write = r.method != Method::Get;
    if brand_scoped || r.caller != Caller::Public {
        // Identity tokens (public routes), keys (admin routes).
        s.extend([401, 403]);
    }
    if r.input != Input::None {
        s.extend([413, 415, 422]);
    }
    if write {
        s.extend([409, 422, 429]);
    }
    if r.method == Method::Patch {
        s.push(412);
    }
    s.sort_unstable();
    s.dedup();
    s
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        302 => "Found",
        400 => "Bad request: a malformed id, query, header or token",
        401 => "Unauthorized: missing or invalid key or identity token",
        403 => "Forbidden: another brand's key, an origin the brand does not allow, or content the caller may not see",
        404 => "Not found",
        409 => "Conflict with the current state (already voted, already decided)",
        412 => "Precondition failed: the settings changed since the ETag sent",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Validation failed; `field` names the input",
        429 => "Rate limited; retry after `Retry-After` seconds",
        503 => "Briefly unavailable; retry",
        _ => "",
    }
}

fn param_schema(kind: Kind) -> Value {
    match kind {
        Kind::Text { max } => json!({ "type": "string", "maxLength": max }),
        Kind::Int { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Kind::OneOf(values) => json!({ "type": "string", "enum": values }),
    }
}

fn path_param_schema(name: &str, values: &[&str]) -> Value {
    if !values.is_empty() {
        return json!({ "type": "string", "enum": values });
    }
    match name {
        // `BrandId::parse`: 2-40 of [a-z0-9-], not starting or ending with '-'.
        "brand" => json!({ "type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$", "examples": ["acme"] }),
        // `ReferralCode::parse`: 8 of its alphabet, any case.
        "code" => json!({ "type": "string", "pattern": "^[A-HJKMNP-TV-Za-hjkmnp-tv-z2-9]{8}$" }),
        _ => json!({ "type": "string", "minLength": 1, "maxLength": 128 }),
    }
}

/// The path parameter schema of a route (photo ids are 32 lowercase hex,
/// `testimonial::is_photo_id`).
fn route_param_schema(r: &Route, name: &str, values: &[&str]) -> Value {
    match (r.op, name) {
        (crate::api::Op::GetPhoto, "id") => json!({ "type": "string", "pattern": "^[0-9a-f]{32}$" }),
        // `assets::is_build` and `assets::is_file_name`.
        (_, "build") => json!({ "type": "string", "pattern": "^[0-9a-f]{12}$" }),
        (crate::api::Op::GetArchivedFile | crate::api::Op::GetArchivedCatalogue, "file") => {
            json!({ "type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$", "examples": ["kindred.js"] })
        }
        _ => path_param_schema(name, values),
    }
}

/// Request body examples for the main writes.
fn body_example(name: &str) -> Option<Value> {
    Some(match name {
        "NewTestimonial" => json!({
            "product": "trail-runner-2", "display_name": "Ana", "email": "ana@example.com", "rating": 5,
            "title": "Light and grippy", "body": "Ran 40 km on wet rock and never slipped.", "tags": ["trail running"],
            "reuse_consent": true
        }),
        "ReferrerSignup" => json!({ "name": "Ana Lima", "email": "ana@example.com" }),
        "LinkRequest" => json!({ "email": "ana@example.com" }),
        "Rejection" => json!({ "reason": "personal_data", "note": "Includes a phone number." }),
        "BulkDecision" => json!({ "action": "reject", "items": [{ "id": "t_1", "seen_edit": 0 }, { "id": "t_2" }], "rejection": { "reason": "spam" } }),
        "EventBatch" => json!({ "events": [{ "kind": "widget_view", "product": "trail-runner-2" }] }),
        "ImportChunk" => json!({
            "source": "judge.me", "first_row": 1,
            "records": [{ "title": "Love it", "body": "Fits well, ran a marathon in them.", "rating": "5", "review_date": "2024-03-01 10:00:00 UTC",
                          "curated": "ok", "reviewer_name": "Ana", "reviewer_email": "ana@example.com", "product_handle": "trail-runner-2",
                          "picture_urls": "https://judgeme.imgix.net/photo-1.jpg" }]
        }),
        "TestimonialEdit" => json!({ "rating": 4, "body": "Update: after 300 km the grip is still great." }),
        "NewBrandReply" => json!({ "body": "Thank you, Ana! Glad they held on the wet rock." }),
        "ReuseConsent" => json!({ "reuse": false }),
        "NewOrder" => json!({ "order_id": "1001", "email": "ana@example.com", "products": ["trail-runner-2"], "send_after_days": 7 }),
        "PurchaseReport" => json!({ "order_id": "1001", "code": "ANA7Q2KM", "amount_minor": 12900, "currency": "EUR" }),
        "NewThread" => json!({ "title": "Favourite long-run fuel?", "body": "What do you eat after 30 km?" }),
        "NewGroup" => json!({ "name": "Trail runners", "description": "Long runs, muddy shoes.", "visibility": "public" }),
        _ => return None,
    })
}

/// Links from a created resource to the operations that take its id.
fn links(r: &Route) -> Value {
    use crate::api::Op;
    // A link to `op` on the same brand, its `param` taken from the answer's
    // `from`; each link is named after its target.
    let to = |op: Op, param: &str, from: &str| {
        (op, json!({ "operationId": op.id(), "parameters": { "brand": "$request.path.brand", param: format!("$response.body#/{from}") } }))
    };
    let made: Vec<(Op, Value)> = match r.op {
        Op::SubmitTestimonial => vec![
            to(Op::VoteHelpful, "id", "id"),
            to(Op::EditTestimonial, "id", "id"),
            to(Op::SetReuseConsent, "id", "id"),
            to(Op::ModerateTestimonial, "id", "id"),
            to(Op::RejectTestimonial, "id", "id"),
            to(Op::SetReply, "id", "id"),
            to(Op::DeleteTestimonial, "id", "id"),
        ],
        Op::CreateGroup | Op::JoinGroup => vec![
            to(Op::JoinGroup, "group", "id"),
            to(Op::ListThreads, "group", "id"),
            to(Op::StartThread, "group", "id"),
            to(Op::CreateInvite, "group", "id"),
            to(Op::ListPendingPosts, "group", "id"),
            to(Op::ListHiddenPosts, "group", "id"),
            to(Op::ListGroupThreads, "group", "id"),
        ],
        Op::StartThread => vec![
            to(Op::GetThread, "thread", "id"),
            to(Op::ReplyToThread, "thread", "id"),
            to(Op::ReactToThread, "id", "id"),
            to(Op::ModerateThread, "id", "id"),
            to(Op::SetThreadReply, "id", "id"),
            to(Op::PinThread, "thread", "id"),
            to(Op::UnpinThread, "thread", "id"),
            to(Op::ReportThread, "id", "id"),
        ],
        Op::ReplyToThread => vec![
            to(Op::ReactToReply, "id", "id"),
            to(Op::ModerateReply, "id", "id"),
            to(Op::ReportReply, "id", "id"),
        ],
        Op::ReportConversion => vec![to(Op::DecideConversion, "id", "id")],
        Op::JoinReferrals => vec![
            (Op::FollowReferral, json!({ "operationId": Op::FollowReferral.id(), "parameters": { "code": "$response.body#/code" } })),
            (
                Op::ClaimReferral,
                json!({ "operationId": Op::ClaimReferral.id(), "parameters": { "brand": "$request.path.brand" }, "requestBody": { "code": "$response.body#/code" } }),
            ),
        ],
        Op::UploadPhoto => vec![(Op::GetPhoto, json!({ "operationId": Op::GetPhoto.id(), "parameters": { "id": "$response.body#/id" } }))],
        Op::CreateInvite | Op::InviteToGroup => vec![to(Op::RevokeInvite, "token", "token")],
        _ => Vec::new(),
    };
    Value::Object(made.into_iter().map(|(op, v)| (format!("{op:?}"), v)).collect())
}

fn operation(r: &Route) -> Value {
    let mut params = Vec::new();
    for (name, values) in r.params() {
        params.push(json!({ "name": name, "in": "path", "required": true, "schema": route_param_schema(r, name, &values) }));
    }
    for q in r.query {
        params.push(json!({ "name": q.name, "in": "query", "required": false, "description": q.about, "schema": param_schema(q.kind) }));
    }
    if r.idempotent {
        params.push(json!({
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "a retry with the same key answers the first result",
            "schema": { "type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[!-~]+$" }
        }));
    }
    if r.method == Method::Patch {
        params.push(json!({
            "name": "If-Match", "in": "header", "required": false,
            "description": "the `ETag` of the settings this patch was made against (else 412)",
            "schema": { "type": "string" }
        }));
    }

    let mut op = Map::new();
    op.insert("operationId".into(), json!(r.op.id()));
    op.insert("summary".into(), json!(r.summary));
    if !r.detail.is_empty() {
        op.insert("description".into(), json!(r.detail));
    }
    op.insert("tags".into(), json!([r.area.name()]));
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    match r.input {
        Input::None => {}
        Input::Json(name) => {
            let mut media = json!({ "schema": schema_ref(name) });
            if let Some(e) = body_example(name) {
                media["example"] = e;
            }
            op.insert("requestBody".into(), json!({ "required": true, "content": { "application/json": media } }));
        }
        Input::MergePatch(name) => {
            let patch = json!({
                "type": "object",
                "description": format!("A JSON Merge Patch (RFC 7396) of `{name}`: members left out stay, `null` resets a member to its default"),
            });
            op.insert(
                "requestBody".into(),
                json!({ "required": true, "content": {
                    "application/merge-patch+json": { "schema": patch, "example": { "accent": "#0a7d5a" } },
                    "application/json": { "schema": patch }
                } }),
            );
        }
        Input::Image => {
            let bytes = json!({ "type": "string", "contentMediaType": "application/octet-stream" });
            op.insert(
                "requestBody".into(),
                json!({ "required": true, "content": { "image/jpeg": { "schema": bytes }, "image/png": { "schema": bytes }, "image/webp": { "schema": bytes } } }),
            );
        }
    }

    let mut responses = Map::new();
    let mut ok = json!({ "description": reason(r.status) });
    match r.output {
        Output::Json(name) => ok["content"] = json!({ "application/json": { "schema": schema_ref(name) } }),
        Output::JsonOrNull(name) => {
            ok["content"] = json!({ "application/json": { "schema": { "oneOf": [schema_ref(name), { "type": "null" }] } } })
        }
        Output::JsonList(name) => ok["content"] = json!({ "application/json": { "schema": { "type": "array", "items": schema_ref(name) } } }),
        Output::Document => ok["content"] = json!({ "application/json": { "schema": { "type": "object" } } }),
        Output::Empty => {}
        Output::Redirect => ok["headers"] = json!({ "Location": { "schema": { "type": "string" }, "required": true } }),
        Output::Image => {
            let bytes = json!({ "schema": { "type": "string", "contentMediaType": "application/octet-stream" } });
            ok["content"] = json!({ "image/jpeg": bytes, "image/png": bytes, "image/webp": bytes });
        }
        Output::Html => ok["content"] = json!({ "text/html": { "schema": { "type": "string" } } }),
        Output::Script => ok["content"] = json!({ "text/javascript": { "schema": { "type": "string" } } }),
        Output::Asset => {
            let bytes = json!({ "schema": { "type": "string", "contentMediaType": "application/octet-stream" } });
            ok["content"] = json!({ "text/javascript": { "schema": { "type": "string" } }, "application/wasm": bytes, "application/json": { "schema": {} } });
        }
        Output::Export => {
            let text = json!({ "schema": { "type": "string" } });
            ok["content"] = json!({ "application/jsonl": text, "text/csv": text });
            ok["headers"] = json!({
                "Kindred-Next-Cursor": { "schema": { "type": "string" }, "description": "the next page's `cursor`; absent on the last page" },
                "Link": { "schema": { "type": "string" }, "description": "the next page (`rel=\"next\"`, RFC 8288)" },
            });
        }
        Output::Feed => {
            let text = json!({ "schema": { "type": "string" } });
            ok["content"] = json!({
                "application/feed+json": { "schema": { "type": "object", "description": "JSON Feed 1.1 (`json`)" } },
                "application/atom+xml": text,
                "application/xml": text,
                "text/html": text,
            });
        }
    }
    match r.op {
        crate::api::Op::GetSettings | crate::api::Op::UpdateSettings => {
            ok["headers"] = json!({ "ETag": { "schema": { "type": "string" }, "description": "the settings' version, for `If-Match`" } })
        }
        crate::api::Op::GetWidget => {
            ok["headers"] = json!({ "X-Kindred-Cache": { "schema": { "type": "string", "enum": ["isolate", "hit", "miss", "uncached"] }, "description": "where the answer came from" } })
        }
        _ => {}
    }
    let links = links(r);
    if links.as_object().is_some_and(|l| !l.is_empty()) {
        ok["links"] = links;
    }
    responses.insert(r.status.to_string(), ok);
    // A repeated join or sign-up answers 200 with the same body.
    if r.status == 201 && matches!(r.op, crate::api::Op::JoinReferrals | crate::api::Op::ReportConversion | crate::api::Op::ReportOrder) {
        let mut again = responses[&r.status.to_string()].clone();
        again["description"] = json!("Already done: the first result");
        if let Some(o) = again.as_object_mut() {
            o.remove("links");
        }
        responses.insert("200".into(), again);
    }
    for status in error_statuses(r) {
        let mut e = json!({ "description": reason(status), "content": { "application/json": { "schema": schema_ref("ErrorBody") } } });
        if status == 429 {
            e["headers"] = json!({ "Retry-After": { "schema": { "type": "integer", "minimum": 0 }, "description": "seconds" } });
        }
        responses.insert(status.to_string(), e);
    }
    op.insert("responses".into(), Value::Object(responses));

    let security = match r.caller {
        Caller::Admin => json!([{ "adminKey": [] }]),
        Caller::Operator => json!([{ "operatorKey": [] }]),
        Caller::Member => json!([{ "memberToken": [] }, { "identityToken": [] }]),
        Caller::MemberToken => json!([{ "memberToken": [] }]),
        // A photo not yet public: only the brand's admin key (the console).
        Caller::Public if r.op == crate::api::Op::GetPhoto => json!([{}, { "adminKey": [] }]),
        Caller::Public if r.path.contains("{brand}") => json!([{}, { "memberToken": [] }, { "identityToken": [] }]),
        Caller::Public => json!([{}]),
    };
    op.insert("security".into(), security);
    Value::Object(op)
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let item = paths.entry(r.openapi_path()).or_insert_with(|| json!({}));
        item[r.method.as_str().to_ascii_lowercase()] = operation(r);
    }
    let mut schemas = Map::new();
    for (name, schema) in self::schemas() {
        schemas.insert(name, serde_json::to_value(schema).unwrap_or(Value::Null));
    }
    constrain(&mut schemas);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Kindred edge API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Testimonials, referrals and micro-communities on a brand's own pages. Errors are always `{\"error\": {\"code\", \"message\", \"field\"?}}` with the status of their code. A brand's own proxy in front of the edge names each shopper's address on the shopper routes (the `proxyKey` scheme). Generated from `kindred_core::api::ROUTES`.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" }
        },
        "tags": [
            { "name": "service" }, { "name": "testimonials" }, { "name": "referrals" },
            { "name": "community" }, { "name": "settings" }, { "name": "moderation" }, { "name": "privacy" }, { "name": "analytics" }
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "adminKey": { "type": "http", "scheme": "bearer", "description": "the brand's admin key, `kr_sk_<brand>_...`" },
                "operatorKey": { "type": "http", "scheme": "bearer", "description": "the operator key (`KINDRED_OPERATOR_KEY`)" },
                "memberToken": { "type": "apiKey", "in": "header", "name": "X-Kindred-Member", "description": "the shopper's anonymous member token (16-64 of `[A-Za-z0-9_-]`)" },
                "identityToken": { "type": "apiKey", "in": "header", "name": "X-Kindred-Identity", "description": "an identity token the brand signed (HMAC-SHA256, with expiry)" },
                "proxyKey": { "type": "apiKey", "in": "header", "name": "X-Kindred-Proxy-Key", "description": "sent by a proxy or CDN path of the brand's own in front of the edge, never by a browser: the brand's proxy key (`POST /v1/admin/brands/{brand}/proxy-key`), with the shopper's address as `X-Kindred-Client-IP` (one IPv4 or IPv6), which limits then count instead of the proxy's. On every shopper route but the first paint (`GET /v1/widget/{brand}`, which counts no client): a key that is not the brand's is refused with 403 (`forbidden`); the key without one address, or an address without the key, with 400 (`bad_request`)" }
            }
        }
    })
}

/// The document as pretty JSON.
pub fn document_json() -> String {
    serde_json::to_string_pretty(&document()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_schema_is_in_the_document() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        for r in ROUTES {
            let names = [
                match r.input {
                    Input::Json(n) => Some(n),
                    _ => None,
                },
                match r.output {
                    Output::Json(n) | Output::JsonOrNull(n) | Output::JsonList(n) => Some(n),
                    _ => None,
                },
            ];
            for n in names.into_iter().flatten() {
                assert!(schemas.get(n).is_some(), "{:?} names schema {n}, which is not in the document", r.op);
            }
        }
        let text = document_json();
        let mut at = 0;
        while let Some(i) = text[at..].find("#/components/schemas/") {
            let start = at + i + "#/components/schemas/".len();
            let end = start + text[start..].find('"').unwrap_or(0);
            assert!(schemas.get(&text[start..end]).is_some(), "dangling $ref {}", &text[start..end]);
            at = end;
        }
    }

    #[test]
    fn every_limit_lands_on_its_schema() {
        let mut schemas = Map::new();
        for (name, schema) in self::schemas() {
            schemas.insert(name, serde_json::to_value(schema).unwrap_or(Value::Null));
        }
        assert_eq!(constrain(&mut schemas), Vec::<String>::new());
        assert_eq!(schemas["NewTestimonial"]["properties"]["rating"]["maximum"], 5);
    }

    /// JSON Schema 2020-12 (OpenAPI 3.1): `items` is a schema, never a list.
    #[test]
    fn the_document_is_valid_json_schema_2020_12() {
        fn walk(v: &Value, at: &str) {
            match v {
                Value::Object(o) => {
                    if let Some(items) = o.get("items") {
                        assert!(items.is_object() || items.is_boolean(), "{at}/items is {items}");
                    }
                    for (k, x) in o {
                        // Examples are instances, not schemas (a body may
                        // well have a member named `items`).
                        if k != "example" && k != "examples" {
                            walk(x, &format!("{at}/{k}"));
                        }
                    }
                }
                Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| walk(x, &format!("{at}/{i}"))),
                _ => {}
            }
        }
        walk(&document(), "");
    }

    #[test]
    fn every_route_is_an_operation_and_nothing_else_is() {
        let doc = document();
        let mut found = 0;
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let r = ROUTES
                    .iter()
                    .find(|r| r.openapi_path() == *path && r.method.as_str().eq_ignore_ascii_case(method))
                    .unwrap_or_else(|| panic!("{method} {path} is not in the route table"));
                assert_eq!(op["operationId"], r.op.id());
                found += 1;
            }
        }
        assert_eq!(found, ROUTES.len());
    }
}
