//! The HTTP API's routes, declared once.
//!
//! [`ROUTES`] is the one list of what the edge answers: method, path
//! template, who may call it, whether browsers on the brand's pages may read
//! it, its query, request body and answer. Everything else is derived from
//! it, so nothing can drift:
//! - the edge's router matches requests with [`resolve`] and dispatches on
//!   [`Op`] (an exhaustive `match`, so a route without a handler does not
//!   compile); `405` with `Allow` and the CORS preflight's allowed methods
//!   come from [`methods_at`];
//! - the OpenAPI 3.1 document (`GET /v1/openapi.json`, built by
//!   `openapi::document` behind the `openapi` feature);
//! - the README's route table ([`readme_table`], checked by a test);
//! - the HTTP suite's authorization matrix (every [`Caller::Admin`] and
//!   [`Caller::Member`] route, tried with every wrong credential).
//!
//! Path templates use `{name}` for a segment and `{name:a|b}` for a segment
//! with a fixed set of values (an OpenAPI path parameter with an `enum`).
//! A template's segments are matched against the request's raw
//! (percent-encoded) path segments; `GET` routes answer `HEAD` too.

/// An HTTP method the API routes (`HEAD` is answered wherever `GET` is;
/// `OPTIONS` is the CORS preflight of [`Route::cors`] routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The method as it is written on the wire (`"GET"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The routed method for a wire method: `HEAD` reads as `GET`; `None`
    /// for methods the API never routes (`PUT`, `OPTIONS`, ...).
    pub fn parse(wire: &str) -> Option<Self> {
        match wire.to_ascii_uppercase().as_str() {
            "GET" | "HEAD" => Some(Self::Get),
            "POST" => Some(Self::Post),
            "PATCH" => Some(Self::Patch),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// Anyone (brand-scoped routes still refuse writes from a browser
    /// origin the brand does not allow).
    Public,
    /// A shopper who sends their member token (`X-Kindred-Member`) or a
    /// brand-signed identity token (`X-Kindred-Identity`); refused without.
    Member,
    /// A shopper who sends their member token (`X-Kindred-Member`): an
    /// identity alone is not enough (one vote, one claim per device).
    MemberToken,
    /// The brand's admin key (`Authorization: Bearer kr_sk_<brand>_...`);
    /// another brand's key is refused with 403.
    Admin,
    /// The operator key (the `KINDRED_OPERATOR_KEY` secret).
    Operator,
}

impl Caller {
    /// How the README names it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Public => "anyone",
            Self::Member => "shopper (member token or identity)",
            Self::MemberToken => "shopper (member token)",
            Self::Admin => "brand admin key",
            Self::Operator => "operator key",
        }
    }
}

/// What a route reads as its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    None,
    /// `application/json`, of the named core type.
    Json(&'static str),
    /// A JSON Merge Patch (RFC 7396) of the named core type:
    /// `application/merge-patch+json`, or `application/json`.
    MergePatch(&'static str),
    /// Raw image bytes (JPEG, PNG or WebP, decided by the bytes).
    Image,
}

/// What a route answers when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `application/json` of the named core type.
    Json(&'static str),
    /// `application/json`: the named core type, or `null`.
    JsonOrNull(&'static str),
    /// `application/json`: an array of the named core type.
    JsonList(&'static str),
    /// `application/json`, the OpenAPI document itself.
    Document,
    /// No body (`204`).
    Empty,
    /// A redirect (`Location`).
    Redirect,
    /// Image bytes (`image/jpeg`, `image/png`, `image/webp`).
    Image,
    /// `text/html`.
    Html,
    /// `text/javascript`.
    Script,
    /// An export page: JSON Lines (`application/jsonl`) or CSV
    /// (`text/csv`), as `format` asks (`crate::export`).
    Export,
    /// A syndication feed in the format its path names
    /// (`crate::syndication::Format::content_type`): JSON Feed, Atom, the
    /// Merchant Center XML or an HTML snippet.
    Feed,
    /// One of the widget's files: JavaScript, wasm or a JSON catalogue
    /// (`kindred_core::assets::content_type`), immutable.
    Asset,
}

/// The kind of a query parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text (validated by the route), at most `max` characters.
    Text { max: u32 },
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// One of these values.
    OneOf(&'static [&'static str]),
}

/// A query-string parameter; all are optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub name: &'static str,
    pub kind: Kind,
    /// What it does (the OpenAPI description); empty in a wasm32 build.
    pub about: &'static str,
}

const fn q(name: &'static str, kind: Kind, about: &'static str) -> Query {
    Query { name, kind, about: words(about) }
}

/// A route's words (its summary, its detail, a query parameter's
/// description) as the table keeps them: they are for the README and the
/// OpenAPI document, both written natively (`cargo xtask docs`, `cargo
/// xtask build`), so the Worker (wasm32), which never shows them, goes
/// without them: about 14 KB of its 1 MB gzip budget (issue 14).
const fn words(text: &'static str) -> &'static str {
    if cfg!(target_arch = "wasm32") {
        ""
    } else {
        text
    }
}

/// A moderator's decision names the version they read: the testimonial's
/// `edited_at` as loaded (0 when it had none).
const SEEN_EDIT: Query = q("seen_edit", Kind::Int { min: 0, max: 9_007_199_254_740_991 }, "the `edited_at` you saw (unix ms, 0 for none): 409 if its author edited it since");

/// A moderator's decision on a referrer's note names the words they read.
const SEEN_NOTE: Query = q("seen", Kind::Int { min: 0, max: 9_007_199_254_740_991 }, "the note's `written_at` you saw (unix ms): 409 if the referrer rewrote it since");

/// The area of the product a route belongs to (OpenAPI tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Service,
    Testimonials,
    Referrals,
    Community,
    Settings,
    Moderation,
    Privacy,
    Analytics,
}

impl Area {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Testimonials => "testimonials",
            Self::Referrals => "referrals",
            Self::Community => "community",
            Self::Settings => "settings",
            Self::Moderation => "moderation",
            Self::Privacy => "privacy",
            Self::Analytics => "analytics",
        }
    }
}

/// Every operation, one per route. Its OpenAPI `operationId` is the
/// variant's name in snake case ([`Op::id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Health,
    OpenApi,
    GetArchivedFile,
    GetArchivedCatalogue,
    GetWidget,
    GetEmbed,
    Frame,
    GetDisclosure,
    DisclosurePage,
    OptOutPage,
    OptOut,
    ListTestimonials,
    SubmitTestimonial,
    VoteHelpful,
    EditTestimonial,
    SetReuseConsent,
    WithdrawConsent,
    GetFeed,
    SharePage,
    ShareCard,
    WallPage,
    UploadPhoto,
    GetPhoto,
    CountEvents,
    GetAnalytics,
    JoinReferrals,
    MyReferrals,
    EditReferrer,
    RequestReferralLink,
    OpenReferralLink,
    MyData,
    EraseMyData,
    ClaimReferral,
    ListAmbassadors,
    FollowReferral,
    ListGroups,
    CountUnread,
    JoinGroup,
    LeaveGroup,
    ListThreads,
    StartThread,
    InviteToGroup,
    GetThread,
    ReplyToThread,
    PinThread,
    UnpinThread,
    ReactToThread,
    ReactToReply,
    ReportThread,
    ReportReply,
    CreateBrand,
    CreateProxyKey,
    RotateSecret,
    GetSecrets,
    EndSecretOverlap,
    ResetAdminKey,
    GetProxyKey,
    DeleteProxyKey,
    GetSettings,
    UpdateSettings,
    ListQueue,
    ModerateTestimonial,
    RejectTestimonial,
    BulkModerate,
    ImportTestimonials,
    ImportStatus,
    ImportPhotos,
    UndoImport,
    ReportOrder,
    SetReply,
    DeleteReply,
    GetReply,
    ListGroupThreads,
    SetThreadReply,
    DeleteThreadReply,
    GetThreadReply,
    DeleteTestimonial,
    GetLedger,
    ExportData,
    ReportConversion,
    ListConversions,
    DecideConversion,
    AddCoupons,
    ListCoupons,
    ListReferrers,
    ListReferrerNotes,
    ApproveReferrerNote,
    RejectReferrerNote,
    ListDeliveries,
    CreateGroup,
    UpdateGroup,
    ListAllGroups,
    CreateInvite,
    MakeLead,
    RemoveMember,
    ListRemovals,
    ReadmitMember,
    ListPendingPosts,
    ListHiddenPosts,
    RevokeInvite,
    BlockMember,
    ListBlocks,
    UnblockMember,
    ListReports,
    ModerateThread,
    ModerateReply,
}

impl Op {
    /// The OpenAPI `operationId`: the variant's name in snake case
    /// (`Op::GetWidget` is `get_widget`).
    pub fn id(self) -> String {
        let name = format!("{self:?}");
        let mut out = String::with_capacity(name.len() + 4);
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// One route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub op: Op,
    pub method: Method,
    /// The path template (`/v1/brands/{brand}/testimonials`).
    pub path: &'static str,
    pub caller: Caller,
    /// Whether a browser on one of the brand's allowed origins may read the
    /// answer (CORS; the preflight is answered for those origins only).
    pub cors: bool,
    pub area: Area,
    /// One line (the OpenAPI summary and the README's text); empty in a
    /// wasm32 build (`words`).
    pub summary: &'static str,
    /// More detail, Markdown (the OpenAPI description); may be empty, and
    /// is in a wasm32 build.
    pub detail: &'static str,
    pub query: &'static [Query],
    pub input: Input,
    /// The status of a success, and its body.
    pub status: u16,
    pub output: Output,
    /// Whether the route reads `Idempotency-Key` (retries answer the first
    /// result).
    pub idempotent: bool,
}

const fn route(op: Op, method: Method, path: &'static str, caller: Caller, area: Area, summary: &'static str) -> Route {
    Route {
        op,
        method,
        path,
        caller,
        cors: false,
        area,
        summary: words(summary),
        detail: "",
        query: &[],
        input: Input::None,
        status: 200,
        output: Output::Empty,
        idempotent: false,
    }
}

impl Route {
    const fn get(op: Op, path: &'static str, caller: Caller, area: Area, summary: &'static str) -> Self {
        route(op, Method::Get, path, caller, area, summary)
    }
    const fn post(op: Op, path: &'static str, caller: Caller, area: Area, summary: &'static str) -> Self {
        route(op, Method::Post, path, caller, area, summary)
    }
    const fn cors(mut self) -> Self {
        self.cors = true;
        self
    }
    const fn detail(mut self, detail: &'static str) -> Self {
        self.detail = words(detail);
        self
    }
    const fn query(mut self, query: &'static [Query]) -> Self {
        self.query = query;
        self
    }
    const fn input(mut self, input: Input) -> Self {
        self.input = input;
        self
    }
    const fn answers(mut self, status: u16, output: Output) -> Self {
        self.status = status;
        self.output = output;
        self
    }
    const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// The path's parameters, in order: `(name, allowed values)` (empty
    /// values: any segment).
    pub fn params(&self) -> Vec<(&'static str, Vec<&'static str>)> {
        self.path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|p| match p.split_once(':') {
                Some((name, values)) => (name, values.split('|').collect()),
                None => (p, Vec::new()),
            })
            .collect()
    }

    /// The path as OpenAPI writes it: `{name:a|b}` becomes `{name}`.
    pub fn openapi_path(&self) -> String {
        self.path
            .split('/')
            .map(|seg| match seg.strip_prefix('{').and_then(|s| s.split_once(':')) {
                Some((name, _)) => format!("{{{name}}}"),
                None => seg.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Matches raw path segments (the path without its leading `/`, split
    /// on `/`); the parameters' values in template order on a match.
    pub fn matches<'a>(&self, segments: &[&'a str]) -> Option<Vec<&'a str>> {
        // Every request tries each route of its method: the template is
        // walked, never collected, and only a match allocates its values.
        let template = || self.path.trim_start_matches('/').split('/');
        if template().count() != segments.len() {
            return None;
        }
        let mut values = Vec::new();
        for (t, s) in template().zip(segments) {
            if !segment_fits(t, s) {
                return None;
            }
            if t.starts_with('{') {
                values.push(*s);
            }
        }
        Some(values)
    }
}

/// Whether path segment `value` fits template segment `template`: a
/// literal is itself, a `{name}` any non-empty value, a
/// `{name:a|b}` one of those values. The one rule of [`Route::matches`]
/// and [`near_miss`].
fn segment_fits(template: &str, value: &str) -> bool {
    match template.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
        Some(p) => !value.is_empty() && p.split_once(':').is_none_or(|(_, allowed)| allowed.split('|').any(|a| a == value)),
        None => template == value,
    }
}

const STATUS_LIST: &[&str] = &["pending", "approved", "rejected"];

use Area::{Analytics, Community, Moderation, Privacy, Referrals, Service, Settings, Testimonials};
use Caller::{Admin, Member, MemberToken, Operator, Public};

/// Every route the edge answers (static assets aside: `/embed.js`, the
/// deployed build's `/assets/...` and `/console/` are Workers static
/// assets, served before the worker runs; `/v1/openapi.json` reads its
/// file from them, `kindred_core::assets::OPENAPI_PATH`).
pub const ROUTES: &[Route] = &[
    Route::get(Op::Health, "/healthz", Public, Service, "constant answer, no storage (load balancers; the benchmarks' baseline)")
        .answers(200, Output::Json("Health")),
    Route::get(Op::OpenApi, "/v1/openapi.json", Public, Service, "this API's OpenAPI 3.1 document")
        .answers(200, Output::Document),
    // The widget's files of an earlier build (`kindred_core::assets`): the
    // deployed build's are static assets, answered before the Worker runs.
    Route::get(Op::GetArchivedFile, "/assets/{build}/{file}", Public, Service, "a file of an earlier build of the widget, for pages loaded before a deploy")
        .detail("The deployed build's files are static assets; an earlier build's (a page loaded before the deploy asks for its live widget on the shopper's first touch) are answered from the archive in R2 for 7 days after that build was replaced, with the same headers (`immutable`, `Access-Control-Allow-Origin: *`, `nosniff`). 404 otherwise.")
        .answers(200, Output::Asset),
    Route::get(Op::GetArchivedCatalogue, "/assets/{build}/i18n/{file}", Public, Service, "a message catalogue of an earlier build of the widget")
        .detail("As `/assets/{build}/{file}`, for the build's `i18n/<locale>.json`.")
        .answers(200, Output::Asset),
    // Testimonials: public, brand-scoped, read by the widget on brands' pages.
    Route::get(Op::GetWidget, "/v1/widget/{brand}", Public, Testimonials, "first paint in one request: brand, aggregate rating, tag list, first page; with `locale`, the first view's markup")
        .cors()
        .detail("Served from a KV copy while it is current, rebuilt from D1 after any change it shows (settings, moderation, votes, groups, ambassadors, and a referred purchase that changes what the ambassadors' board shows move the brand's copy version). For a brand whose referral programme shows its ambassadors' board, `ambassadors` holds the board's first five entries as `GET /v1/brands/{brand}/ambassadors` shows them. `X-Kindred-Cache` says where the answer came from. With `locale`, `markup` is the first view as HTML, rendered by the widget's own components in that language (the loader shows it before the wasm; its links and photos relative to the edge's base URL, as the loader was served), and `markup_build` the widget build it was rendered for (a loader of another build, cached from before a deploy, goes live with its own build's files instead). A visitor's context (`lang`, `context`, `ref`, `group`) that the scope's testimonials have orders the first page for it (`context` in the answer; no cookie or storage is involved; the language only when the scope's reviews are in more than one): testimonials with the tag first, then the brand's featured ones, then those in the language, then the rest, newest first within each; its `next_cursor` goes on with the default order (from its start when the page holds other reviews than the plain one: leave out those already shown). An order that changes nothing is not named. Bad or unknown context values are ignored, never an error.")
        .query(&[
            q("product", Kind::Text { max: 64 }, "the product's id (`[A-Za-z0-9._:-]`, 1-64); none: the brand's page"),
            q("locale", Kind::Text { max: 35 }, "the UI's language tag (`de`, `pt-BR`); one Kindred does not ship is English; none: no `markup`"),
            q("lang", Kind::Text { max: 35 }, "the shopper's language tag (the page's): testimonials written in it first, when the scope has some (`context.lang`)"),
            q("context", Kind::Text { max: 400 }, "the page's tags, comma-separated (`data-context-tags`): the first one the scope's testimonials have comes first (`context.tag`)"),
            q("ref", Kind::Text { max: 128 }, "the referral code the visitor arrived with: the tags of the referrer's own published testimonial come first"),
            q("group", Kind::Text { max: 128 }, "the group whose invite the visitor arrived with: its tag comes first (a private group's only with `invite`)"),
            q("invite", Kind::Text { max: 128 }, "the group invite's token"),
        ])
        .answers(200, Output::Json("WidgetPayload")),
    Route::get(Op::GetEmbed, "/v1/embed/{brand}", Public, Testimonials, "the loader with the first paint in the same response: one request to the edge before the first testimonial")
        .detail("The tag `<script src=\"https://EDGE/v1/embed/{brand}?product=ID&locale=LANG\" async crossorigin=\"anonymous\">` in place of `/embed.js` with `data-brand`: the deployed build's `/embed.js` with `GET /v1/widget/{brand}`'s answer written into it for the query the loader will make (`product`, `locale` as the UI's language, `lang` as the page's: `kindred_core::widget::loader_query`), so the loader paints without asking. Written in only for a page of one of the brand's allowed origins (the request's `Origin`), a `locale` that is a language tag, and an answer made within 300 ms; otherwise the loader comes as it is and asks for its data itself (it reports problems in the console). The page's `Origin`, when sent, is echoed with `Access-Control-Allow-Credentials` (a `crossorigin=\"use-credentials\"` tag runs either way); without one, `*`. The loader uses the answer within a minute of running and ten minutes of its render. Always 200 once the loader can be read: a script is never an error page. `Cache-Control: no-cache`, `Vary: Origin`; the loader's code comes with every view (where `/embed.js`, a static file, is cached for five minutes).")
        .query(&[
            q("product", Kind::Text { max: 64 }, "the product's id, as `data-product`; none: the brand's page"),
            q("locale", Kind::Text { max: 35 }, "the page's language tag, as `data-locale` (the UI's language and the order's); none: the page's `<html lang>`, read by the loader, which then asks for its data itself"),
        ])
        .answers(200, Output::Script),
    Route::get(Op::Frame, "/frame/{brand}", Public, Testimonials, "the widget in a frame, for pages whose CSP blocks WebAssembly or this origin")
        .detail("`frame-ancestors` lists the brand's allowed origins; the frame reports its height to its embedder by `postMessage`.")
        .query(&[q("product", Kind::Text { max: 64 }, "the product's id")])
        .answers(200, Output::Html),
    Route::get(Op::GetDisclosure, "/v1/brands/{brand}/disclosure", Public, Testimonials, "how this brand's reviews are collected, checked and shown, computed from its live settings")
        .cors()
        .detail("What is published at once (found by running the moderation rules on every rating), the maximum hold, the only rejection reasons, the incentive if any, the default order and how the average is computed (EU Omnibus Directive 2019/2161).")
        .answers(200, Output::Json("Disclosure")),
    Route::get(Op::DisclosurePage, "/reviews/{brand}/how", Public, Testimonials, "the \"How reviews work\" page the widget links to")
        .detail("The same facts as `/v1/brands/{brand}/disclosure`, as a page in the shopper's language.")
        .query(&[q("locale", Kind::Text { max: 35 }, "the page's language tag; one Kindred does not ship is English")])
        .answers(200, Output::Html),
    Route::get(Op::OptOutPage, "/reviews/{brand}/opt-out", Public, Testimonials, "the page behind an order's opt-out link: one button, nothing changes on a GET")
        .query(&[q("token", Kind::Text { max: 80 }, "the order's opt-out token")])
        .answers(200, Output::Html),
    Route::post(Op::OptOut, "/reviews/{brand}/opt-out", Public, Testimonials, "stop review requests to this customer")
        .detail("Scheduled `review.requested` webhooks are cancelled and unused links stop working.")
        .query(&[q("token", Kind::Text { max: 80 }, "the order's opt-out token")])
        .answers(200, Output::Html),
    Route::get(Op::ListTestimonials, "/v1/brands/{brand}/testimonials", Public, Testimonials, "further pages of testimonials, filtered and sorted")
        .cors()
        .query(&[
            q("product", Kind::Text { max: 64 }, "only this product's"),
            q("tag", Kind::Text { max: 40 }, "only those with this tag"),
            q("rating", Kind::Int { min: 1, max: 5 }, "only this many stars"),
            q("sort", Kind::OneOf(&["newest", "highest", "helpful"]), "order (default `newest`; featured testimonials first in each)"),
            q("cursor", Kind::Text { max: 200 }, "`next_cursor` of the previous page (same sort)"),
            q("limit", Kind::Int { min: 1, max: 50 }, "page size (default 10)"),
        ])
        .answers(200, Output::Json("FeedPage")),
    Route::post(Op::SubmitTestimonial, "/v1/brands/{brand}/testimonials", Public, Testimonials, "submit a testimonial")
        .cors()
        .idempotent()
        .detail("Published or held for moderation by the brand's rules; new content past the brand's hourly ceiling waits for moderation. Rate-limited per client. A retry with the same `Idempotency-Key` answers the first result and stores nothing twice; the same key with another review is refused (422 naming `idempotency-key`; IETF draft-ietf-httpapi-idempotency-key-header). A photo goes with one post: 409 naming `photos` when one was attached to another post meanwhile (two sent at once).")
        .input(Input::Json("NewTestimonial"))
        .answers(201, Output::Json("Submitted")),
    route(Op::EditTestimonial, Method::Patch, "/v1/brands/{brand}/testimonials/{id}", Public, Testimonials, "its author edits a testimonial (member token or identity)")
        .cors()
        .detail("Only with the member token (`X-Kindred-Member`) or the identity (`identity` in the body) it was written with (403 otherwise); not once rejected (409). Changed words go through the brand's moderation again, with a new hold; a changed rating alone keeps its status. The previous version is kept; the card says \"edited\".")
        .input(Input::Json("TestimonialEdit"))
        .answers(200, Output::Json("Edited")),
    Route::post(Op::SetReuseConsent, "/v1/brands/{brand}/testimonials/{id}/consent", Public, Testimonials, "its author grants or withdraws consent to feature it in the brand's ads, social posts and emails")
        .cors()
        .detail("Only with the member token (`X-Kindred-Member`) or the identity (`identity` in the body) it was written with (403 otherwise). Asked on the form (`reuse_consent`, unticked by default); the brand sees `reuse_consent_at`. Every grant and withdrawal is logged.")
        .input(Input::Json("ReuseConsent"))
        .answers(200, Output::Json("ConsentState")),
    Route::get(Op::GetFeed, "/v1/brands/{brand}/feeds/{format:json|atom|merchant|email}", Public, Testimonials, "testimonials whose authors agreed to their reuse, as JSON Feed 1.1, Atom, Google's product reviews feed (2.4) or an email snippet")
        .cors()
        .detail("Only published testimonials whose authors ticked \"the brand may feature it in ads, social posts and emails\" (a withdrawal takes one out of the next fetch). `json` and `atom`: newest first by when each became reusable (approved and consented, whichever came last); `email`: the best (most stars, most helpful, newest) as an HTML table with inline styles; `merchant`: every such review of a product Kindred has a page for (the brand's `review_page_url`), up to 5,000 (past that, `Kindred-Feed-Truncated` says so: register one feed per product), for Merchant Center's scheduled fetch, filtered by `product` only (Google deletes reviews a full feed lacks). Filters apply to the newest 2,000 such testimonials of the scope. Incentivised reviews are labelled in every format. Cacheable for 5 minutes; 120 reads per 10 s per client.")
        .query(&[
            q("product", Kind::Text { max: 64 }, "only this product's"),
            q("tag", Kind::Text { max: 40 }, "only those with this tag"),
            q("min_rating", Kind::Int { min: 1, max: 5 }, "only those with at least this many stars"),
            q("photos", Kind::OneOf(&["true", "false"]), "only those with photos"),
            q("limit", Kind::Int { min: 1, max: 50 }, "items (`json`, `atom`: default 20, up to 50; `email`: default 3, up to 10; `merchant`: the newest 1,000)"),
            q("locale", Kind::Text { max: 35 }, "`email`: the snippet's language tag; one Kindred does not ship is English"),
        ])
        .answers(200, Output::Feed),
    Route::get(Op::SharePage, "/t/{brand}/{id}", Public, Testimonials, "a testimonial's share page, with Open Graph and Twitter card tags")
        .detail("404 unless it is published and its author agreed to its reuse. Links to the product's page when Kindred knows it.")
        .query(&[q("locale", Kind::Text { max: 35 }, "the page's language tag; one Kindred does not ship is English")])
        .answers(200, Output::Html),
    Route::get(Op::ShareCard, "/t/{brand}/{id}/card.png", Public, Testimonials, "a testimonial's share card: the 1200x630 PNG its share page names as `og:image`")
        .detail("404 unless it is published and its author agreed to its reuse (the share page's rule). The stars, title, an excerpt, the author's name with their badges and the brand's name in its accent, drawn by the card renderer (`kindred-cards`, a second Worker behind the `CARDS` service binding). Characters its fonts lack (colour emoji, CJK) are left out. `ETag` follows what is drawn (`If-None-Match`: 304); cacheable for 5 minutes. A card not in the data centre's cache counts against 30 draws per 10 s per client. Past that, or when the renderer fails, 302 to the first photo; without one, 429 or 503 `unavailable`.")
        .query(&[q("locale", Kind::Text { max: 35 }, "the labels' language tag (and the side the name takes); one Kindred does not ship is English")])
        .answers(200, Output::Image),
    Route::get(Op::WallPage, "/wall/{brand}", Public, Testimonials, "a hosted wall of the brand's (or a product's, or a tag's) testimonials whose authors agreed to their reuse, to link to from anywhere")
        .detail("Only published testimonials with consent to reuse (this page is not the brand's own site), newest first, with chips for their tags and the matching Atom and JSON feeds announced in `<head>`; the brand's accent. On the brand's own pages, `data-layout=\"wall\"` shows every published testimonial in the same columns.")
        .query(&[
            q("product", Kind::Text { max: 64 }, "only this product's"),
            q("tag", Kind::Text { max: 40 }, "only those with this tag"),
            q("min_rating", Kind::Int { min: 1, max: 5 }, "only those with at least this many stars"),
            q("photos", Kind::OneOf(&["true", "false"]), "only those with photos"),
            q("limit", Kind::Int { min: 1, max: 50 }, "testimonials (default 50)"),
            q("locale", Kind::Text { max: 35 }, "the page's language tag; one Kindred does not ship is English"),
        ])
        .answers(200, Output::Html),
    Route::post(Op::VoteHelpful, "/v1/brands/{brand}/testimonials/{id}/helpful", MemberToken, Testimonials, "mark a testimonial helpful: one vote per shopper")
        .cors()
        .answers(200, Output::Json("HelpfulVote")),
    Route::post(Op::UploadPhoto, "/v1/brands/{brand}/photos", Public, Testimonials, "upload one photo (JPEG, PNG or WebP, 5 MB max)")
        .cors()
        .detail("Decided by its bytes; at most 12,000 px a side, 50 megapixels and 6:1, else 422 naming `photo`. Every piece of metadata is stripped before it is stored (EXIF with GPS and camera, XMP, comments, PNG text chunks); a JPEG keeps only its orientation, and `width`/`height` are as shown. Stored in R2; public once its testimonial is approved or its thread visible.")
        .input(Input::Image)
        .answers(201, Output::Json("PhotoView")),
    Route::post(Op::CountEvents, "/v1/brands/{brand}/events", Public, Analytics, "count what the widget saw: itself on screen, the review form opened, a referral link shared")
        .cors()
        .detail("Sent by the loader as a keepalive `fetch` with the credentials mode of its own `<script>` (a string, so `text/plain`, which needs no CORS preflight; `application/json` works too; from the frame fallback, with `X-Kindred-Embedder`), 1 to 3 events (`kindred_core::analytics::EVENTS_MAX`). Queued and answered at once: no D1 write on the way. The brand's allowed origins only, and the read burst limit per client. Counts are indicative (anyone can send them); what the edge sees itself (submissions, approvals, clicks, claims, purchases) is counted exactly in D1. See `kindred_core::analytics`.")
        .input(Input::Json("EventBatch"))
        .answers(202, Output::Empty),
    Route::get(Op::GetPhoto, "/v1/photos/{id}", Public, Testimonials, "a photo (`nosniff`)")
        .detail("Public (cached 5 min) once its testimonial is approved or its thread visible, unless the thread is in a private group. Other photos open with the brand's admin key (the console shows them) or from a URL the edge gave out (`expires` and `sig`, `kindred_core::photo::signed_url`: it works for 1 to 2 hours, and no shared cache keeps it): one given to a private group's members while its thread is shown, one given to a thread's author (their post waiting for moderation, their data download) while it is shown or waiting, not once a moderator hid or deleted it. 404 to everyone else.")
        .query(&[
            q("expires", Kind::Text { max: 20 }, "a signed URL (a private group's photo, an author's own): when it stops working (unix seconds), as the edge gave it"),
            q("sig", Kind::Text { max: 32 }, "a signed URL: its signature, as the edge gave it"),
        ])
        .answers(200, Output::Image),
    // Referral program.
    Route::post(Op::JoinReferrals, "/v1/brands/{brand}/referrers", Public, Referrals, "join the referral program: one code per person")
        .cors()
        .detail("The email is canonicalised (`a.n.a+x@gmail.com` is `ana@gmail.com`); joining again answers the same code (200). A code made signed in is its customer's alone; one made signed out is its browser's. An email that already has a code is refused (409), except for the customer the brand's identity token vouches owns it (its signed `email`): a code someone else made signed out under that email becomes theirs (200), unless they have a code already.")
        .input(Input::Json("ReferrerSignup"))
        .answers(201, Output::Json("ReferrerView")),
    Route::get(Op::MyReferrals, "/v1/brands/{brand}/referrers/me", Member, Referrals, "the shopper's own code, share link, clicks, friends, purchases, rewards")
        .cors()
        .detail("By member token or identity; `null` before they join. `note`: their personal note for friends and its status (`pending`, `approved`, `rejected`).")
        .answers(200, Output::JsonOrNull("ReferrerView")),
    Route::post(Op::RequestReferralLink, "/v1/brands/{brand}/referrers/link-requests", Public, Referrals, "email me my link: the referral link of an address that another browser holds, sent to that address")
        .cors()
        .detail("For the shopper told that their address already has a link (409 on joining): on another device, or after someone typed their address first. Answered 202 for any well-formed address, before anything is looked up, so neither the answer nor its time says whether the address has a link. When it has one held by a browser (one made signed in opens wherever its customer signs in), the brand has a `referral.webhook_url` and a `referral.landing_url`, and none was emailed in the last 10 minutes, that URL hears `referral.link_requested` with the referrer (`code`, the `email` the link was made for, `share_url`; never the name, which whoever joined chose) and `link_url`: the landing page with `?kindred_link=<token>`, working for 24 hours from its first email, until used. Asked again meanwhile, the same link is sent again: asking never ends a link its owner was sent, nor keeps it working longer. The brand emails it to that address; on that page the widget offers to move the referral link, with its stats and rewards, to that browser (one tap: a mail scanner that opens the page takes nothing; `POST .../referrers/me/link`). At most `rate_limits.per_brand` such emails an hour per brand for links with referred purchases, and as many for the others (`kindred_core::referral::link_email_bucket`: strangers asking for links they made with others' addresses cannot spend the first). Counted against the client's limits like a join.")
        .input(Input::Json("LinkRequest"))
        .answers(202, Output::Empty),
    Route::post(Op::OpenReferralLink, "/v1/brands/{brand}/referrers/me/link", MemberToken, Referrals, "move a referral link to this browser with the token its owner was emailed")
        .cors()
        .detail("The token from `?kindred_link=` (`referral.link_requested`): the referral link it names becomes this member token's, and the browser that held it no longer opens it. Single use. 422 on `token` for one that is malformed, forged, used, past its 24 hours, whose link was erased, or taken meanwhile by the customer the brand's identity vouches owns its address; 409 when this browser holds another referral link of its own.")
        .input(Input::Json("LinkTransfer"))
        .answers(200, Output::Json("ReferrerView")),
    route(Op::EditReferrer, Method::Patch, "/v1/brands/{brand}/referrers/me", Member, Referrals, "the referrer changes their shown name, or writes, changes or removes their personal note for friends")
        .cors()
        .detail("A JSON Merge Patch (RFC 7396) of one member: `name`, the name friends read above their offer and the ambassadors' board shows (checked as at joining: 1 to 60 characters, no email address; never removed), which shows at once, so a link recovered by email need not keep the name whoever typed its address first chose; `note`, at most 280 characters (`null` or `\"\"` removes it). Both in one transaction. By member token or identity; 404 before they join. New or changed words wait for the brand (`pending`), except that a brand publishing verified buyers at once publishes a signed-in referrer's note at once (`kindred_core::referral::note_initial_status`); the same name or words again change nothing; past the brand's hourly ceiling for content (`rate_limits.per_brand`) a note waits whatever the mode. Counted as content, like a review. Friends who follow the link read an approved note above their offer, with the disclosure that the referrer is rewarded.")
        .input(Input::MergePatch("ReferrerPatch"))
        .answers(200, Output::Json("ReferrerView")),
    Route::get(Op::MyData, "/v1/brands/{brand}/me/data", Member, Privacy, "everything Kindred holds for this shopper at this brand, as JSON (GDPR Art. 15 and 20)")
        .cors()
        .detail("By member token and/or identity: testimonials with their earlier versions and consent log, helpful votes, the referral code with its stats and rewards, welcome offers claimed, group memberships, threads (with their photos: one not open to everyone, a private group's or a thread's not shown, by a URL that opens it for its author for 1 to 2 hours), replies, reactions, reports, invites made, signed in, the purchase records the brand sent, and the brand's decisions about them it keeps after an erasure (`restrictions`: a block, removals from groups). Emails are masked. `kindred_core::privacy` says what is held and why.")
        .answers(200, Output::Json("ShopperData")),
    route(Op::EraseMyData, Method::Delete, "/v1/brands/{brand}/me/data", Member, Privacy, "erase everything Kindred holds for this shopper at this brand (GDPR Art. 17)")
        .cors()
        .detail("In one transaction: testimonials (deleted, or anonymised when the brand's `privacy.erasure` is `anonymise`), photos, votes, the referral code (it stops working), memberships, invites, threads and replies, reactions, reports, purchase records, and webhook deliveries and stored answers that quoted them; then the photos' objects and the read copies. The brand's `privacy.webhook_url` hears `shopper.erased`. Kept on purpose: the brand's blocks and removals from groups, do-not-contact opt-outs, and the keyed hash of the address a welcome offer went to (365 days). Erasing again answers zeros.")
        .answers(200, Output::Json("Erased")),
    Route::post(Op::ClaimReferral, "/v1/brands/{brand}/referrals/claim", MemberToken, Referrals, "a referred friend opens the offer: a coupon from the pool, or the static code")
        .cors()
        .detail("One welcome offer per brand per friend within the attribution window: claims are tied to the member token and the client's address. `pool_exhausted` when the pool is dry. `voice`: the referrer's best published testimonial for the brand (an excerpt, no photos, their first name; theirs by the brand identity they joined with, or the same member token and email without one), shown above the offer with a note that they are rewarded; absent when they have published none. `note`: the referrer's personal note for friends once the brand approved it (`PATCH .../referrers/me`), shown in place of the review's words.")
        .input(Input::Json("Claim"))
        .answers(200, Output::Json("ClaimView")),
    Route::get(Op::ListAmbassadors, "/v1/brands/{brand}/ambassadors", Public, Referrals, "top referrers, display names only (when the brand turns the board on)")
        .cors()
        .answers(200, Output::JsonList("LeaderboardEntry")),
    Route::get(Op::FollowReferral, "/r/{code}", Public, Referrals, "a friend's click: counted (once an hour per visitor), then a redirect to the brand's landing page with `?kindred_ref=CODE`")
        .detail("What a message put around the code when the link was pasted (a full stop, a bracket, the closing U+2069 of a right-to-left message's isolate) is left out: the code still works (`ReferralCode::from_link`). 404 for no such code.")
        .answers(302, Output::Redirect),
    // Community.
    Route::get(Op::ListGroups, "/v1/brands/{brand}/groups", Public, Community, "public groups, and private ones the shopper belongs to, with unread counts")
        .cors()
        .answers(200, Output::Json("GroupList")),
    Route::get(Op::CountUnread, "/v1/brands/{brand}/community/unread", Member, Community, "unread counts per group, for the widget's polled badge")
        .cors()
        .answers(200, Output::Json("Unread")),
    Route::post(Op::JoinGroup, "/v1/brands/{brand}/groups/{group}/join", Member, Community, "join a group (`invite` for a private one, or a verified identity)")
        .cors()
        .input(Input::Json("Join"))
        .answers(200, Output::Json("GroupView")),
    Route::get(Op::ListThreads, "/v1/brands/{brand}/groups/{group}/threads", Public, Community, "a group's threads: pinned first, then latest activity")
        .cors()
        .detail("A private group's threads reach its members only.")
        .query(&[q("cursor", Kind::Text { max: 200 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("ThreadList")),
    Route::post(Op::LeaveGroup, "/v1/brands/{brand}/groups/{group}/leave", Member, Community, "leave a group")
        .cors()
        .detail("Every membership the shopper has in the group goes (by member token and by identity), lead or not; their posts stay. Leaving a public group they are not in changes nothing; a private one they are not in answers 403, as reading it does. A private group takes them back with an invite or a verified identity, as anyone.")
        .answers(200, Output::Json("GroupView")),
    Route::post(Op::StartThread, "/v1/brands/{brand}/groups/{group}/threads", Member, Community, "start a thread (members of the group)")
        .cors()
        .detail("`photo` is an uploaded photo's id (`POST .../photos`), used by one post: 409 naming `photo` when it was attached to another post meanwhile (two sent at once). A retry with the same `Idempotency-Key` (a day) answers the thread the first wrote, as it is now (`Idempotent-Replay: true`; 404 if it was removed since); the same key with another title or body is refused (422 naming `idempotency-key`), the photo is not compared (a retry uploads it again).")
        .idempotent()
        .input(Input::Json("NewThread"))
        .answers(201, Output::Json("ThreadView")),
    Route::post(Op::InviteToGroup, "/v1/brands/{brand}/groups/{group}/invites", Member, Community, "group leads and ambassadors: an invite link (expiring, optionally single-use)")
        .cors()
        .input(Input::Json("NewInvite"))
        .answers(201, Output::Json("Invite")),
    Route::get(Op::GetThread, "/v1/brands/{brand}/threads/{thread}", Public, Community, "a thread with its newest 50 replies, oldest first, and the caller's own reactions on them (`reacted`)")
        .cors()
        .query(&[q("before", Kind::Text { max: 200 }, "`earlier_cursor` of the previous answer: the 50 replies before")])
        .answers(200, Output::Json("ThreadPage")),
    Route::post(Op::ReplyToThread, "/v1/brands/{brand}/threads/{thread}/replies", Member, Community, "reply to a thread (members of its group)")
        .cors()
        .detail("A retry with the same `Idempotency-Key` (a day) answers the reply the first wrote, as it is now (`Idempotent-Replay: true`; 404 if it was removed since); the same key with other words is refused (422 naming `idempotency-key`).")
        .idempotent()
        .input(Input::Json("NewReply"))
        .answers(201, Output::Json("ReplyView")),
    Route::post(Op::PinThread, "/v1/brands/{brand}/threads/{thread}/pin", Member, Community, "group leads and ambassadors: pin a thread")
        .cors()
        .answers(200, Output::Json("Pinned")),
    Route::post(Op::UnpinThread, "/v1/brands/{brand}/threads/{thread}/unpin", Member, Community, "group leads and ambassadors: unpin a thread")
        .cors()
        .answers(200, Output::Json("Pinned")),
    Route::post(Op::ReactToThread, "/v1/brands/{brand}/threads/{id}/reactions", Member, Community, "react to a thread (`like`, `love`, `helpful`, `celebrate`)")
        .cors()
        .detail("With `on`, the reaction is set so (sent again, it stays as asked); without it, it toggles.")
        .input(Input::Json("React"))
        .answers(200, Output::Json("Reactions")),
    Route::post(Op::ReactToReply, "/v1/brands/{brand}/replies/{id}/reactions", Member, Community, "react to a reply (`like`, `love`, `helpful`, `celebrate`)")
        .cors()
        .detail("With `on`, the reaction is set so (sent again, it stays as asked); without it, it toggles.")
        .input(Input::Json("React"))
        .answers(200, Output::Json("Reactions")),
    Route::post(Op::ReportThread, "/v1/brands/{brand}/threads/{id}/report", Member, Community, "report a thread to the brand")
        .detail("The reason is one of `spam`, `offensive`, `personal_data`, `off_topic`, `other`. One report per member and post: a second is ignored. 403 for the caller's own post (a thread or reply they see with `mine`: written with the member token or identity they send) and for a blocked member.")
        .cors()
        .input(Input::Json("Report"))
        .answers(202, Output::Json("Reported")),
    Route::post(Op::ReportReply, "/v1/brands/{brand}/replies/{id}/report", Member, Community, "report a reply to the brand")
        .detail("The reason is one of `spam`, `offensive`, `personal_data`, `off_topic`, `other`. One report per member and post: a second is ignored. 403 for the caller's own post (a thread or reply they see with `mine`: written with the member token or identity they send) and for a blocked member.")
        .cors()
        .input(Input::Json("Report"))
        .answers(202, Output::Json("Reported")),
    // Admin.
    Route::post(Op::CreateBrand, "/v1/admin/brands", Operator, Settings, "create a brand; answers its admin key and identity secret, shown once")
        .input(Input::Json("NewBrand"))
        .answers(201, Output::Json("BrandCreated")),
    Route::post(Op::RotateSecret, "/v1/admin/brands/{brand}/secrets/{secret:admin_key|identity_secret|webhook_secret}", Admin, Settings, "replace the brand's admin key, identity secret or webhook signing secret; the new one is answered once, and the old one stops working at once or after keep_previous_hours")
        .detail("For a secret that leaked (the old one stops at once), or on a schedule (`keep_previous_hours`: the old one works on beside the new one until `previous_until`, for each integration to move over; a further replacement ends it). Once it stops, the old admin key is refused (update every integration that sends it; the console switches itself); identity tokens signed with the old identity secret are refused (`identity_invalid`: sign new ones with the new secret); webhooks, deliveries still waiting included, are signed with the new webhook secret only. While both work, tokens signed with either are taken and each webhook carries two signatures, `Kindred-Signature: t=<ts>,v1=<new>,v1=<old>` (accept a delivery when any `v1` matches); a replaced admin key still opens every admin route but these, the proxy key's, changing settings and deleting testimonials (one, or an import's undo) and community posts (403), and reads the settings without the webhook secret: only the current key manages settings and secrets. `GET .../secrets` shows until when each replaced one works; to end an overlap early, `DELETE .../secrets/{secret}/previous` (or replace the secret again without `keep_previous_hours`, if it leaked). Replacing the webhook secret moves the settings' `ETag` (the settings show it). Review links and opt-out links already sent keep working: they are signed with a key of the edge's own, never shown (a brand made before it keeps its replaced identity secret as that key). If the old admin key leaked, delete the proxy key as well (`DELETE .../proxy-key`): whoever held the key could have made one.")
        .query(&[q("keep_previous_hours", Kind::Int { min: 0, max: 168 }, "how long the replaced secret keeps working, in hours (default 0: it stops at once)")])
        .answers(201, Output::Json("SecretRotated")),
    Route::get(Op::GetSecrets, "/v1/admin/brands/{brand}/secrets", Admin, Settings, "until when each replaced secret still works beside the new one (never a secret)")
        .answers(200, Output::Json("SecretsState")),
    route(Op::EndSecretOverlap, Method::Delete, "/v1/admin/brands/{brand}/secrets/{secret:admin_key|identity_secret|webhook_secret}/previous", Admin, Settings, "stop the replaced secret now, once every integration sends or verifies the new one")
        .detail("Ends the overlap `keep_previous_hours` gave, without replacing the secret again (the new one stays as it is): from now on the old admin key is refused, identity tokens signed with the old identity secret are refused, and webhooks carry the new signature only. Ending none is fine. Only the current admin key may (403 for the replaced one).")
        .answers(204, Output::Empty),
    Route::post(Op::ResetAdminKey, "/v1/admin/brands/{brand}/admin-key", Operator, Settings, "issue the brand a new admin key when its own is lost or in the wrong hands; answered once, and the old one stops working at once, with the brand's proxy keys (a thief may have made one)")
        .answers(201, Output::Json("SecretRotated")),
    Route::post(Op::CreateProxyKey, "/v1/admin/brands/{brand}/proxy-key", Admin, Settings, "make the brand's proxy key, replacing the previous one; shown once")
        .detail("For a proxy or CDN path of your own in front of the edge (README, \"Behind such a proxy\"): it sends the key as `X-Kindred-Proxy-Key` and the shopper's address as `X-Kindred-Client-IP`, so limits and moderation's per-client rules count each shopper, not the proxy. The key it replaces is still taken for 24 hours (`previous_until`), while the proxy moves to the new one. Stored hashed. Only the current admin key makes or deletes one (a replaced key still working is refused, 403).")
        .answers(201, Output::Json("ProxyKeyCreated")),
    Route::get(Op::GetProxyKey, "/v1/admin/brands/{brand}/proxy-key", Admin, Settings, "whether the brand has a proxy key, since when, and until when the one it replaced is taken (never the key)")
        .answers(200, Output::Json("ProxyKeyState")),
    route(Op::DeleteProxyKey, Method::Delete, "/v1/admin/brands/{brand}/proxy-key", Admin, Settings, "delete the brand's proxy key and the one it replaced: a request that sends either is refused from now on")
        .answers(204, Output::Empty),
    Route::get(Op::GetSettings, "/v1/admin/brands/{brand}", Admin, Settings, "the brand's settings, with an `ETag`")
        .detail("A replaced admin key still working (`keep_previous_hours`) reads them without `webhook_secret`: only the current key reads a secret.")
        .answers(200, Output::Json("BrandConfig")),
    route(Op::UpdateSettings, Method::Patch, "/v1/admin/brands/{brand}", Admin, Settings, "change settings with a JSON Merge Patch (RFC 7396)")
        .detail("Members you leave out stay as they are at any depth (`{\"referral\":{\"leaderboard\":true}}` touches nothing else), `null` resets a member to its default, arrays are replaced whole. With `If-Match`, refused with 412 if the settings changed since. A bad value is refused with 422 naming the field (`referral.window_days`) and nothing is changed. Only the current admin key changes settings (a replaced key still working is refused, 403: it cannot move where webhooks go).")
        .input(Input::MergePatch("BrandConfig"))
        .answers(200, Output::Json("BrandConfig")),
    Route::get(Op::ListQueue, "/v1/admin/brands/{brand}/testimonials", Admin, Moderation, "the moderation queue, with emails")
        .detail("Newest first. Filters narrow it (`kindred_core::moderation::QueueFilter`); a filtered page looks through at most 2,000 testimonials from the cursor on (`QUEUE_WALK`) and may hold fewer than `limit`: follow `next_cursor` until it is null to search further.")
        .query(&[
            q("status", Kind::OneOf(STATUS_LIST), "which (default `pending`)"),
            q("product", Kind::Text { max: 64 }, "only this product's"),
            q("rating", Kind::Int { min: 1, max: 5 }, "only with this many stars"),
            q("tag", Kind::Text { max: 40 }, "only with this tag"),
            q("photos", Kind::OneOf(&["with", "without"]), "only with, or only without, photos"),
            q("provenance", Kind::OneOf(crate::moderation::Provenance::ALL), "how it was written: through a review link, signed in, under an incentive, imported from another platform, or none of these"),
            q("q", Kind::Text { max: 100 }, "search the title, text, author's name and email, and tags (NFC; ASCII letters fold case, other scripts match as written)"),
            q("cursor", Kind::Text { max: 200 }, "`next_cursor` of the previous page"),
            q("limit", Kind::Int { min: 1, max: 50 }, "page size (default 20)"),
        ])
        .answers(200, Output::Json("Queue")),
    Route::post(Op::ModerateTestimonial, "/v1/admin/brands/{brand}/testimonials/{id}/{action:approve|feature|unfeature}", Admin, Moderation, "approve, feature or unfeature a testimonial")
        .detail("The widget shows the change on the next request (another worker instance may serve its in-memory copy for up to 1 s more). Only approved testimonials can be featured. With `seen_edit`, 409 if its author edited it since.")
        .query(&[SEEN_EDIT])
        .answers(200, Output::Json("AdminTestimonial")),
    Route::post(Op::BulkModerate, "/v1/admin/brands/{brand}/testimonials/bulk", Admin, Moderation, "approve or reject up to 50 testimonials at once")
        .detail("One outcome per testimonial, in order: its new status, or the error it would get alone (`not_found`; `conflict` when its author edited it after the `seen_edit` you sent, or when a rejection names one already rejected: its reason stands). A rejection carries one reason for all, from the same fixed list (never the rating). The widget shows the changes on its next request, also when the store fails midway (503: the items before it are decided).")
        .input(Input::Json("BulkDecision"))
        .answers(200, Output::Json("BulkResult")),
    Route::get(Op::GetAnalytics, "/v1/admin/brands/{brand}/analytics", Admin, Analytics, "the testimonial funnel, ratings, the referral funnel with referred revenue, and community activity, per day")
        .detail("Per UTC day from `from` to `to` (default: the last 30 days; at most 366), each chart's series with a value for every day and its total. With `product`, the testimonial funnel and ratings are that product's. Revenue is in minor units, one series per currency. Read from counters D1 keeps per day (`kindred_core::analytics`): one row per day and counter, whatever the brand's size. The console draws each chart and downloads it as CSV.")
        .query(&[
            q("from", Kind::Text { max: 10 }, "first day, YYYY-MM-DD (UTC)"),
            q("to", Kind::Text { max: 10 }, "last day, YYYY-MM-DD (UTC)"),
            q("product", Kind::Text { max: 64 }, "a product id: its testimonial funnel and ratings"),
        ])
        .answers(200, Output::Json("Analytics")),
    Route::post(Op::ImportTestimonials, "/v1/admin/brands/{brand}/imports", Admin, Moderation, "import reviews from Judge.me, Yotpo, Okendo, Stamped or a Kindred export, a chunk of up to 200 records at a time")
        .detail("Each record is an object keyed by the export's column names (a CSV's header row); `kindred_core::import` and the README's \"Importing reviews\" section list the columns each platform's export uses. Idempotent by the review's id at the source (or one made from its product, email, date and text when the export has none): sending rows again answers them as `already` and changes nothing, so an import that stopped goes on by sending the file again. Imported testimonials are never verified, carry their source (`imported_from`, `provenance=imported`), have no consent to reuse, and keep the source's state (published, pending or rejected). Photos by URL (public `https`) are fetched in the background through the same pipeline as uploads (`GET .../imports` shows progress and failures). A record that breaks a rule is answered in `failed` with its row and field; the others are imported. With `file` (the same on every chunk of a file: the console sends the file's name and a hash of its bytes), the status counts that file's testimonials and an undo can take them alone, as one partner's export among several. The console reads CSV, JSON and JSON Lines files and sends them in chunks; a CSV's rows go with `format: \"csv\"`, so a Kindred CSV export's formula guard (one leading `'` on a cell a spreadsheet would run) comes off.")
        .input(Input::Json("ImportChunk"))
        .answers(200, Output::Json("ImportResult")),
    Route::get(Op::ImportStatus, "/v1/admin/brands/{brand}/imports", Admin, Moderation, "imported testimonials per source and per file, and their photos still to fetch or that failed")
        .answers(200, Output::Json("ImportStatus")),
    Route::get(Op::ImportPhotos, "/v1/admin/brands/{brand}/imports/photos", Admin, Moderation, "imported testimonials' photos still to fetch, and the latest that failed")
        .detail("What `GET .../imports` says of photos, without counting the imported testimonials (two grouped reads of every one): for polling while photos are fetched, as the console does every 3 s.")
        .answers(200, Output::Json("ImportPhotos")),
    route(Op::UndoImport, Method::Delete, "/v1/admin/brands/{brand}/imports/{source:judge.me|yotpo|okendo|stamped|kindred}", Admin, Moderation, "undo an import: delete the testimonials imported from a source, 100 a call")
        .detail("For an import that went wrong (the wrong file, the wrong products): the testimonials imported from `source` go, whatever their state, with their photos, helpful votes and replies, 100 a call; call again until `done` (`deleted` counts what each call deleted). The source is the file they came in (a Kindred export's reviews that came to the old edge from another platform keep that platform as `imported_from`, yet go with `kindred`; undoing that platform leaves them). Testimonials written on the brand's pages, or imported from another source, are never touched. The moderation ledger counts each as deleted, by its rating, as any deletion. Only the current admin key undoes an import (a replaced key still working is refused, 403). The source's file can then be imported again: what this deletes leaves no tombstone (one the brand deleted before, or erased at a shopper's request, stays deleted). With `file`, only the testimonials that came in that file go (as `GET .../imports` lists it under `files`), the source's other files stay: a testimonial belongs to the file that first brought it in, so one that a later file carried too (`already` there) goes with the first; importing the later file again brings it back.")
        .query(&[q("file", Kind::Text { max: crate::import::FILE_MAX as u32 }, "a file's name as imported (`files[].file` in the import's status): undo that file alone")])
        .answers(200, Output::Json("ImportUndone")),
    Route::post(Op::RejectTestimonial, "/v1/admin/brands/{brand}/testimonials/{id}/reject", Admin, Moderation, "reject a testimonial, for a reason that is not its rating")
        .detail("Reasons: `spam`, `offensive`, `personal_data`, `off_topic`, `duplicate`, `other` (with a `note`). None looks at the rating or sentiment (FTC, 16 CFR 465.7). A testimonial nobody approves or rejects is published when the brand's `max_hold_days` end. Its photos are deleted. With `seen_edit`, 409 if its author edited it since. 409 for one already rejected: its reason stands (the ledger counts it).")
        .query(&[SEEN_EDIT])
        .input(Input::Json("Rejection"))
        .answers(200, Output::Json("AdminTestimonial")),
    Route::post(Op::SetReply, "/v1/admin/brands/{brand}/testimonials/{id}/reply", Admin, Moderation, "reply in public under a testimonial, or edit the reply")
        .detail("Only under a published testimonial (409 for a pending or rejected one: nobody would read the reply, and the reviewer would be told of it): approve it first. Shown under it in the widget. Every version is kept (`GET` the same path). The reviewer is told through `review_webhook_url` (`review.replied`), if set.")
        .input(Input::Json("NewBrandReply"))
        .answers(200, Output::Json("AdminTestimonial")),
    route(Op::DeleteReply, Method::Delete, "/v1/admin/brands/{brand}/testimonials/{id}/reply", Admin, Moderation, "take the public reply down (its history stays)")
        .answers(204, Output::Empty),
    Route::get(Op::GetReply, "/v1/admin/brands/{brand}/testimonials/{id}/reply", Admin, Moderation, "the reply shown and every version of it, oldest first")
        .answers(200, Output::Json("ReplyHistory")),
    Route::post(Op::ReportOrder, "/v1/admin/brands/{brand}/orders", Admin, Moderation, "report an order: one signed, single-use review link per product (idempotent by `order_id`)")
        .detail("A review written through a link carries \"Verified purchase\" (no admin route can set it). With `send_after_days`, the links go to `review_webhook_url` (`review.requested`) that many days after `ordered_at`. A customer who opted out gets no links and nothing is sent. 201 for a new order, 200 for one reported before (the same links).")
        .input(Input::Json("NewOrder"))
        .answers(201, Output::Json("ReviewRequests")),
    route(Op::WithdrawConsent, Method::Delete, "/v1/admin/brands/{brand}/testimonials/{id}/consent", Admin, Moderation, "withdraw the author's consent to reuse, on their behalf (a brand can withdraw it, never give it)")
        .detail("For a shopper who asks the brand by mail or phone. Logged as done by the brand.")
        .answers(200, Output::Json("ConsentState")),
    Route::get(Op::ExportData, "/v1/admin/brands/{brand}/export/{dataset:testimonials|edits|consents|referrers|claims|conversions|rewards|coupons|groups|memberships|threads|replies|reactions|reports|review_orders|review_requests}", Admin, Settings, "export a dataset as JSON Lines or CSV, a page at a time")
        .detail("Everything the brand holds (`kindred_core::export` lists each dataset's columns), including its customers' emails and customer ids; never shoppers' member tokens or clients' keyed hashes. Pages follow `Kindred-Next-Cursor` (and `Link: rel=\"next\"`, RFC 8288) until it is absent; a page reads only its own rows and ends early past 4 MB. CSV is RFC 4180, every field quoted, with a UTF-8 byte order mark and its header on the first page only, so the pages put together are one file; a cell a spreadsheet would run as a formula, or that starts with `'`, gets a leading `'`. Settings: `GET /v1/admin/brands/{brand}`.")
        .query(&[
            q("format", Kind::OneOf(&["jsonl", "csv"]), "`jsonl` (default) or `csv`"),
            q("cursor", Kind::Int { min: 1, max: 9_007_199_254_740_991 }, "`Kindred-Next-Cursor` of the previous page"),
            q("limit", Kind::Int { min: 1, max: 5000 }, "rows per page (default 1000)"),
        ])
        .answers(200, Output::Export),
    Route::get(Op::GetLedger, "/v1/admin/brands/{brand}/moderation/ledger", Admin, Moderation, "the per-star moderation ledger: published (and how), rejected (by reason), pending, deleted")
        .answers(200, Output::Json("ModerationLedger")),
    route(Op::DeleteTestimonial, Method::Delete, "/v1/admin/brands/{brand}/testimonials/{id}", Admin, Moderation, "delete a rejected testimonial, with its photos")
        .detail("Only rejected testimonials (409 otherwise): reject it first, for a reason. It stays counted in the moderation ledger. Only the current admin key deletes (a replaced key still working is refused, 403: a deletion cannot be taken back). Importing a partner's export that holds a copy does not bring it back into any brand of this edge, as after an erasure (imports answer both alike). For a copy imported from a Kindred export, `erasure=true` (deleted at its author's request, as one who wrote to the brand asks) does the same for the review it copies.")
        .query(&[q("erasure", Kind::OneOf(&["true", "false"]), "`true`: deleted at its author's request, so no brand of this edge imports a copy of the review it copies again")])
        .answers(204, Output::Empty),
    Route::post(Op::ReportConversion, "/v1/admin/brands/{brand}/conversions", Admin, Referrals, "report a purchase (idempotent by `order_id`)")
        .detail("Fraud rules: self-referral, already a customer, already referred, outside the attribution window (`referral.window_days`, rejected: measured from this buyer's own claim of the welcome coupon they used, `coupon_code`, else from their arrival through the link as the shop noted it, `referred_at` in ms, else from the code's latest click or claim by anyone; a code typed at checkout with no click or claim is attributed); velocity (held, approved after `hold_hours`): more conversions on the code in a day than `referral.velocity.max_conversions_per_code_per_day`, or more friends' claims on it within an hour from one network (an IPv4 /24 or IPv6 /48) than `max_claims_per_ip_per_hour`: from the buyer's own network in the hour up to their claim when `coupon_code` names it (however late the purchase), else from the code's busiest network in the last hour; and held when `coupon_code` names a claim made from the address the referrer signed up from, in the day after (their own private window, or their household). Reports sent at one moment for one buyer or one code are each decided on the ones written before it (never on counts without them: ten at once are not all approved past the day's limit); past 10 such rounds, 429 with `Retry-After`, to be sent again. 201 for a new order, 200 for one already reported.")
        .input(Input::Json("PurchaseReport"))
        .answers(201, Output::Json("ConversionView")),
    Route::get(Op::ListConversions, "/v1/admin/brands/{brand}/conversions", Admin, Referrals, "conversions, newest first")
        .detail("200 a page (follow `next_cursor` until it is null: every conversion is reachable, a held one past the first page too, before its deadline approves it). A conversion reported while you page comes at the top, never on a later page twice.")
        .query(&[
            q("status", Kind::OneOf(&["held", "approved", "rejected"]), "only these"),
            q("cursor", Kind::Text { max: 100 }, "`next_cursor` of the previous page (same `status`)"),
        ])
        .answers(200, Output::Json("ConversionList")),
    Route::post(Op::DecideConversion, "/v1/admin/brands/{brand}/conversions/{id}/{action:approve|reject}", Admin, Referrals, "decide a held conversion")
        .answers(200, Output::Json("ConversionView")),
    Route::post(Op::AddCoupons, "/v1/admin/brands/{brand}/coupons", Admin, Referrals, "upload `referee` or `reward` coupon codes")
        .detail("Up to 1,000 codes a call. A code the brand holds already, in any case, is left as it is (a code is one coupon, and shops read codes without case): `already` counts those in this pool, `in_other_pool` names those in the other (the upload went to the wrong pool, or the shop reuses codes). New reward codes go to the rewards waiting for one first.")
        .input(Input::Json("CouponUpload"))
        .answers(201, Output::Json("CouponsAdded")),
    Route::get(Op::ListCoupons, "/v1/admin/brands/{brand}/coupons", Admin, Referrals, "coupon pool levels")
        .answers(200, Output::Json("CouponPools")),
    Route::get(Op::ListReferrers, "/v1/admin/brands/{brand}/referrers", Admin, Referrals, "referrers with their counts")
        .detail("Newest first, 500 a page (follow `next_cursor` until it is null).")
        .query(&[q("cursor", Kind::Text { max: 40 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("ReferrerList")),
    Route::get(Op::ListReferrerNotes, "/v1/admin/brands/{brand}/referrers/notes", Admin, Moderation, "referrers' personal notes to friends, to approve or reject")
        .detail("Newest first, 50 a page (follow `next_cursor`). A note nobody decides stays unseen by friends: unlike a testimonial it is not published when a hold ends (it is the referrer's message, not a review).")
        .query(&[
            q("status", Kind::OneOf(STATUS_LIST), "which (default `pending`)"),
            q("cursor", Kind::Text { max: 40 }, "`next_cursor` of the previous page"),
        ])
        .answers(200, Output::Json("NoteQueue")),
    Route::post(Op::ApproveReferrerNote, "/v1/admin/brands/{brand}/referrers/{code}/note/approve", Admin, Moderation, "approve a referrer's note: friends who follow their link read it")
        .detail("With `seen`, 409 if the referrer rewrote it since; 404 without a note.")
        .query(&[SEEN_NOTE])
        .answers(200, Output::Json("AdminNote")),
    Route::post(Op::RejectReferrerNote, "/v1/admin/brands/{brand}/referrers/{code}/note/reject", Admin, Moderation, "reject a referrer's note, for a reason")
        .detail("The same reasons as a testimonial's (`other` with a `note`). The referrer sees that it was not approved and may write another, which waits for a decision again. With `seen`, 409 if they rewrote it since; 404 without a note.")
        .query(&[SEEN_NOTE])
        .input(Input::Json("Rejection"))
        .answers(200, Output::Json("AdminNote")),
    Route::get(Op::ListDeliveries, "/v1/admin/brands/{brand}/webhooks", Admin, Referrals, "the webhook delivery log")
        .detail("Newest first, 100 a page (follow `next_cursor` until it is null); a delivery that ended goes 30 days after it was queued. `status=failed` lists those given up on, to act on.")
        .query(&[
            q("status", Kind::OneOf(&["pending", "delivered", "failed"]), "only these"),
            q("cursor", Kind::Text { max: 100 }, "`next_cursor` of the previous page (same `status`)"),
        ])
        .answers(200, Output::Json("DeliveryLog")),
    Route::post(Op::CreateGroup, "/v1/admin/brands/{brand}/groups", Admin, Community, "create a group")
        .input(Input::Json("NewGroup"))
        .answers(201, Output::Json("GroupView")),
    route(Op::UpdateGroup, Method::Patch, "/v1/admin/brands/{brand}/groups/{group}", Admin, Community, "change a group with a JSON Merge Patch (RFC 7396): name, description, visibility, moderation, product, tag")
        .detail("Members you leave out stay as they are; `null` clears `description`, `product` or `tag` (`name`, `visibility` and `moderation` cannot be cleared). The group's `tag` puts testimonials with it first for visitors who arrive with its invite, and offers the group to a shopper who just wrote a review with it. A bad value is refused with 422 naming the field, and nothing is changed.")
        .input(Input::MergePatch("NewGroup"))
        .answers(200, Output::Json("GroupView")),
    Route::get(Op::ListAllGroups, "/v1/admin/brands/{brand}/groups", Admin, Community, "every group")
        .answers(200, Output::Json("GroupList")),
    Route::post(Op::CreateInvite, "/v1/admin/brands/{brand}/groups/{group}/invites", Admin, Community, "an invite link to a group")
        .input(Input::Json("NewInvite"))
        .answers(201, Output::Json("Invite")),
    Route::post(Op::MakeLead, "/v1/admin/brands/{brand}/groups/{group}/leads", Admin, Community, "make a member a group lead")
        .detail("`member_key` is `id:<customer>` or `post:<thread or reply id>` (its author). 404 when they are not in the group, or for an unknown post; 409 for a post whose author erased their data.")
        .input(Input::Json("MemberRef"))
        .answers(200, Output::Json("LeadMade")),
    Route::post(Op::RemoveMember, "/v1/admin/brands/{brand}/groups/{group}/removals", Admin, Moderation, "take a member out of a group, for good")
        .detail("`member_key` is `id:<customer>` or `post:<thread or reply id>` (its author; the pending queue's `author_key`). Their membership goes and they may not join again, with an invite or an identity, until `POST .../readmissions` (`GET` on this path lists them); the invite links they made for the group stop working. A customer (`id:`, or a post written signed in) is kept out whichever browser they use signed in, and with them the browsers they joined the brand's groups with signed out (their member tokens, noted when they later used the group signed in on them) and each browser they are seen signed in on in this group from then on (reading it or joining it), so signing out there does not help. A post written signed out names a browser (its member token), perhaps shared: that browser is kept out, not whoever signs in on it; their posts stay (moderate them apart). A private group's content stops reaching them at once, except photo URLs already given to them, which work until they expire (at most 2 hours). A shopper without an identity who clears their browser is a new shopper to Kindred: an invite link they still have lets them in again, so revoke it (`DELETE .../invites/{token}`) or give single-use links. 404 for an unknown group or post; 409 for a post whose author erased their data.")
        .input(Input::Json("MemberRef"))
        .answers(200, Output::Json("Removed")),
    Route::get(Op::ListRemovals, "/v1/admin/brands/{brand}/groups/{group}/removals", Admin, Moderation, "the members taken out of a group, newest first")
        .detail("One entry per removal, newest first, 200 a page (follow `next_cursor` until it is null), each naming the member as the removal did (`id:<customer>`, `post:<thread or reply id>`, or `legacy:<id>` for one made before removals kept their names; never a member token, and a removal an API client made by naming one is not listed) with their name where it is still known: `POST .../readmissions` with that `member_key` lifts it, even once the post is gone or its author erased their data. 404 for an unknown group.")
        .query(&[q("cursor", Kind::Text { max: 260 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("RemovalList")),
    Route::post(Op::ReadmitMember, "/v1/admin/brands/{brand}/groups/{group}/readmissions", Admin, Moderation, "lift a member's removal from a group")
        .detail("`member_key` as the removal named it, as for `POST .../unblocks`: a post lifts the removal made by naming that post (another post by the same browser lifts nothing), a customer id every removal that reached them by it; a browser that two removals reached (its customer's and its own post's) stays out until both are lifted. They may join again as anyone may (a private group still wants an invite or an identity); they are not put back, and invite links revoked with the removal stay revoked. A post works even once it is gone or its author erased their data (`GET .../removals` lists them); `readmitted` is false when there was nothing to lift. 404 for an unknown group.")
        .input(Input::Json("MemberRef"))
        .answers(200, Output::Json("Readmitted")),
    Route::get(Op::ListPendingPosts, "/v1/admin/brands/{brand}/groups/{group}/pending", Admin, Moderation, "posts awaiting approval in a group, oldest first, a page at a time")
        .detail("Threads and replies, 50 a page (`next_cursor` for the next). `POST .../{threads|replies}/{id}/approve` shows one, `.../delete` deletes it. 404 for an unknown group.")
        .query(&[q("cursor", Kind::Text { max: 100 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("PendingPosts")),
    Route::get(Op::ListHiddenPosts, "/v1/admin/brands/{brand}/groups/{group}/hidden", Admin, Moderation, "posts a moderator hid in a group, hidden last first, a page at a time")
        .detail("Threads and replies, 50 a page (`next_cursor` for the next), each with when it was written and when it was hidden. `POST .../{threads|replies}/{id}/approve` shows one again (a reply counts in its thread again), `.../delete` deletes it; deleting a thread deletes its hidden and waiting replies with it. 404 for an unknown group.")
        .query(&[q("cursor", Kind::Text { max: 100 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("HiddenPosts")),
    route(Op::RevokeInvite, Method::Delete, "/v1/admin/brands/{brand}/invites/{token}", Admin, Community, "revoke an invite link")
        .answers(204, Output::Empty),
    Route::post(Op::BlockMember, "/v1/admin/brands/{brand}/blocks", Admin, Moderation, "block a member from posting")
        .detail("`member_key` is `id:<customer>` or `post:<thread or reply id>` (its author). A customer's block reaches the browsers they joined groups with signed out and each browser they try to post, join, react, pin or invite from signed in afterwards; a post written signed out names a browser (its member token), and that browser is blocked. A blocked member may not join a group, start a thread, reply, react, pin or invite anywhere in the brand's community, and keeps reading what they may read; `POST .../groups/{group}/removals` takes them out of a private group. `GET .../blocks` lists blocks; `POST .../unblocks` lifts one. A customer who erases their data stays blocked; the browsers their block reached are no longer linked to them, so are not blocked signed out until they are seen signed in again. 404 for an unknown post; 409 for a post whose author erased their data.")
        .input(Input::Json("MemberRef"))
        .answers(200, Output::Json("Blocked")),
    Route::get(Op::ListBlocks, "/v1/admin/brands/{brand}/blocks", Admin, Moderation, "the brand's blocked members, newest first")
        .detail("One entry per block, newest first, 200 a page (follow `next_cursor` until it is null), each naming the member as the block did (`id:<customer>`, `post:<thread or reply id>`, or `legacy:<id>` for one made before blocks kept their names; never a member token, and a block an API client made by naming one is not listed) with their name where it is still known: `POST .../unblocks` with that `member_key` lifts it.")
        .query(&[q("cursor", Kind::Text { max: 260 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("BlockList")),
    Route::post(Op::UnblockMember, "/v1/admin/brands/{brand}/unblocks", Admin, Moderation, "lift a block")
        .detail("`member_key` as the block named it (`GET .../blocks` lists them): a post lifts the block made by naming that post, with every key it reached, even once the post is gone or its author erased their data; another post by the same browser lifts nothing, so lifting tells the brand nothing about who wrote which anonymous post. A customer id lifts every block that reached them by it (including one made by naming a post they wrote signed in); a `legacy:<id>` from the list lifts that block. A browser that two blocks reached (its customer's and its own post's) stays blocked until both are lifted. `unblocked` is false when there was nothing to lift (an unknown post included).")
        .input(Input::Json("MemberRef"))
        .answers(200, Output::Json("Unblocked")),
    Route::get(Op::ListReports, "/v1/admin/brands/{brand}/reports", Admin, Moderation, "the report queue")
        .detail("Open reports grouped by post: reported from the most networks first (an IPv4 /24 or IPv6 /48 counts once, however many member tokens reported from it: one client cannot put a post first; the count itself is not given, as it would tell which reporters share a network), then the most reported, then the longest waiting; 100 a page (follow `next_cursor` until it is null: every open report is reachable, however many another post has). Each with the post's words (a thread's title, the first 280 characters), its author's shown name, its group's name, the latest reason, how many of its reports give each reason (`reasons`) and how many reports it has. A decision on the post (`approve`, `hide`, `delete`) resolves its reports.")
        .query(&[q("cursor", Kind::Text { max: 120 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("ReportList")),
    Route::get(Op::ListGroupThreads, "/v1/admin/brands/{brand}/groups/{group}/threads", Admin, Community, "a group's visible threads, pinned first, then latest activity, with the brand's replies")
        .query(&[q("cursor", Kind::Text { max: 100 }, "`next_cursor` of the previous page")])
        .answers(200, Output::Json("ThreadList")),
    Route::post(Op::SetThreadReply, "/v1/admin/brands/{brand}/threads/{id}/reply", Admin, Community, "reply in public under a community thread as the brand, or edit the reply")
        .detail("Shown under the thread's opening post, marked as the brand's. Every version is kept (`GET` the same path). The thread's author is told through `community_webhook_url` (`thread.replied`), if set. 404 for a deleted thread, 409 for one not shown (pending or hidden).")
        .input(Input::Json("NewBrandReply"))
        .answers(200, Output::Json("ThreadView")),
    route(Op::DeleteThreadReply, Method::Delete, "/v1/admin/brands/{brand}/threads/{id}/reply", Admin, Community, "take the brand's reply under a thread down (its history stays)")
        .answers(204, Output::Empty),
    Route::get(Op::GetThreadReply, "/v1/admin/brands/{brand}/threads/{id}/reply", Admin, Community, "the brand's reply under a thread and every version of it, oldest first")
        .answers(200, Output::Json("ReplyHistory")),
    Route::post(Op::ModerateThread, "/v1/admin/brands/{brand}/threads/{id}/{action:approve|hide|delete|pin|unpin}", Admin, Moderation, "moderate a thread")
        .detail("`hide` can be taken back (`approve`); `delete` cannot, and takes the current admin key (a replaced key still working is refused, 403).")
        .answers(200, Output::Json("PostModerated")),
    Route::post(Op::ModerateReply, "/v1/admin/brands/{brand}/replies/{id}/{action:approve|hide|delete}", Admin, Moderation, "moderate a reply")
        .detail("As a thread's: `delete` takes the current admin key.")
        .answers(200, Output::Json("PostModerated")),
];

/// `GET /healthz`'s answer: `{"ok": true, "service": "kindred-edge"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub ok: bool,
    pub service: String,
}

/// What a request's method and path resolve to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// A route, with its path parameters' values in template order.
    Route(&'static Route, Vec<&'a str>),
    /// The path is routed, but not for this method: these are (`405`,
    /// `Allow`).
    WrongMethod(Vec<Method>),
    /// No route has this path (`404`).
    NotFound,
}

/// Resolves a routed method and the raw path segments (see
/// [`Route::matches`]). `method` is `None` for a method the API never
/// routes, which resolves to [`Resolved::WrongMethod`] on a routed path.
pub fn resolve<'a>(method: Option<Method>, segments: &[&'a str]) -> Resolved<'a> {
    if let Some(m) = method {
        // A literal segment beats a parameter: the match with the fewest
        // parameters wins (`/referrers/me` over a `/referrers/{id}`).
        let found = ROUTES
            .iter()
            .filter(|r| r.method == m)
            .filter_map(|r| r.matches(segments).map(|values| (r, values)))
            .min_by_key(|(_, values)| values.len());
        if let Some((r, values)) = found {
            return Resolved::Route(r, values);
        }
    }
    let methods = methods_at(segments);
    if methods.is_empty() {
        Resolved::NotFound
    } else {
        Resolved::WrongMethod(methods)
    }
}

/// For a `method` and a path no route has: the last segment where routes
/// of that method would match but for it, with what they take there (a
/// constrained parameter's values, named by it, and the literal segments
/// of routes beside it): `POST .../testimonials/x/rejct` is told approve,
/// feature, unfeature, reject, reply; `DELETE .../imports/Judge.me` the
/// sources. So the 404 names what the path may hold; `None` where no
/// route of the method comes that close, where only the first two
/// segments miss, or for a method the API never routes.
///
/// ```
/// use kindred_core::api::{near_miss, Method};
/// let (name, allowed) = near_miss(Some(Method::Delete), &["v1", "admin", "brands", "acme", "imports", "Judge.me"]).unwrap();
/// assert_eq!((name, allowed[0]), ("source", "judge.me"));
/// let (_, actions) = near_miss(Some(Method::Post), &["v1", "admin", "brands", "acme", "testimonials", "x", "rejct"]).unwrap();
/// assert!(actions.contains(&"approve") && actions.contains(&"reject"), "{actions:?}");
/// // The one GET route of that shape is named; PUT is no method the API routes.
/// assert_eq!(near_miss(Some(Method::Get), &["v1", "admin", "brands", "acme", "imports", "Judge.me"]), Some(("path segment", vec!["photos"])));
/// assert_eq!(near_miss(Method::parse("PUT"), &["v1", "admin", "brands", "acme", "imports", "Judge.me"]), None);
/// assert_eq!(near_miss(Some(Method::Get), &["shop", "nothing", "here"]), None);
/// assert_eq!(near_miss(Some(Method::Get), &["v1", "nothing"]), None);
/// ```
pub fn near_miss(method: Option<Method>, segments: &[&str]) -> Option<(&'static str, Vec<&'static str>)> {
    let m = method?;
    // From the last segment back: a path's last values are its most
    // specific (`imports/Judge.me` is a source, not a missing
    // `testimonials/{id}`); never the first two, which say where the API
    // is (`/v1/...`), not what it holds.
    (2..segments.len()).rev().find_map(|at| {
        let (mut name, mut values) = (None, Vec::new());
        for r in ROUTES.iter().filter(|r| r.method == m) {
            let template: Vec<&'static str> = r.path.trim_start_matches('/').split('/').collect();
            if template.len() != segments.len() || !template.iter().zip(segments).enumerate().all(|(i, (t, s))| i == at || segment_fits(t, s)) {
                continue;
            }
            match template[at].strip_prefix('{').and_then(|x| x.strip_suffix('}')).and_then(|p| p.split_once(':')) {
                Some((param, allowed)) => {
                    name.get_or_insert(param);
                    values.extend(allowed.split('|').filter(|v| !values.contains(v)).collect::<Vec<_>>());
                }
                None if !template[at].starts_with('{') && !values.contains(&template[at]) => values.push(template[at]),
                None => {}
            }
        }
        (!values.is_empty()).then(|| (name.unwrap_or("path segment"), values))
    })
}

/// The methods routed at this path, sorted (for `Allow` and the CORS
/// preflight).
pub fn methods_at(segments: &[&str]) -> Vec<Method> {
    let mut methods: Vec<Method> = ROUTES.iter().filter(|r| r.matches(segments).is_some()).map(|r| r.method).collect();
    methods.sort();
    methods.dedup();
    methods
}

/// `Allow`'s value for these methods: `GET` brings `HEAD`.
pub fn allow_header(methods: &[Method]) -> String {
    let mut names = Vec::new();
    for m in methods {
        names.push(m.as_str());
        if *m == Method::Get {
            names.push("HEAD");
        }
    }
    names.join(", ")
}

/// The brand whose origins may read this path cross-origin: the `{brand}`
/// of a cross-origin route at the path (its preflight is answered for that
/// brand's origins); `None` when no route at the path is cross-origin.
pub fn cors_brand<'a>(segments: &[&'a str]) -> Option<&'a str> {
    ROUTES.iter().filter(|r| r.cors).find_map(|r| {
        let values = r.matches(segments)?;
        r.params().iter().position(|(name, _)| *name == "brand").and_then(|i| values.get(i).copied())
    })
}

/// The README's route table, generated (`cargo xtask docs` writes it between
/// `<!-- routes:begin -->` and `<!-- routes:end -->`; a test checks it).
pub fn readme_table() -> String {
    let mut out = String::from("| method | path | who | what |\n| --- | --- | --- | --- |\n");
    for r in ROUTES {
        // `{action:approve|reject}` reads as `approve\|reject`.
        let mut path = r
            .path
            .split('/')
            .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')).and_then(|s| s.split_once(':')) {
                Some((_, values)) => values.replace('|', "\\|"),
                None => seg.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        if !r.query.is_empty() {
            let names: Vec<&str> = r.query.iter().map(|q| q.name).collect();
            path.push('?');
            path.push_str(&names.join("&"));
        }
        let cors = if r.cors { ", CORS" } else { "" };
        let what = if r.detail.is_empty() { r.summary.to_owned() } else { format!("{}. {}", r.summary, r.detail) };
        out.push_str(&format!("| `{}` | `{path}` | {}{cors} | {} |\n", r.method.as_str(), r.caller.label(), what.replace('|', "\\|")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &str) -> Vec<&str> {
        path.trim_start_matches('/').split('/').collect()
    }

    #[test]
    fn every_route_resolves_to_itself() {
        for r in ROUTES {
            let concrete: String = r
                .path
                .split('/')
                .map(|s| match s.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                    Some(p) => p.split_once(':').map_or("x1".to_owned(), |(_, v)| v.split('|').next().unwrap_or("").to_owned()),
                    None => s.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            match resolve(Some(r.method), &segs(&concrete)) {
                Resolved::Route(found, _) => assert_eq!(found.op, r.op, "{concrete}"),
                other => panic!("{concrete}: {other:?}"),
            }
        }
    }

    #[test]
    fn operations_are_unique_and_routes_are_not_ambiguous() {
        let mut ids: Vec<String> = ROUTES.iter().map(|r| r.op.id()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "one route per operation");
        let mut keys: Vec<(Method, String)> = ROUTES.iter().map(|r| (r.method, r.path.to_owned())).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n, "one operation per method and path");
    }

    #[test]
    fn literal_segments_win_and_wrong_methods_are_named() {
        match resolve(Some(Method::Get), &segs("/v1/brands/acme/referrers/me")) {
            Resolved::Route(r, v) => {
                assert_eq!(r.op, Op::MyReferrals);
                assert_eq!(v, vec!["acme"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(resolve(Some(Method::Delete), &segs("/v1/brands/acme/testimonials")), Resolved::WrongMethod(vec![Method::Get, Method::Post]));
        assert_eq!(resolve(None, &segs("/v1/brands/acme/testimonials")), Resolved::WrongMethod(vec![Method::Get, Method::Post]));
        assert_eq!(resolve(Some(Method::Post), &segs("/v1/admin/brands/acme/testimonials/t1/promote")), Resolved::NotFound);
        assert_eq!(resolve(Some(Method::Get), &segs("/v1/nothing")), Resolved::NotFound);
        assert_eq!(allow_header(&[Method::Get, Method::Post]), "GET, HEAD, POST");
        assert_eq!(Op::GetWidget.id(), "get_widget");
        assert_eq!(cors_brand(&segs("/v1/brands/acme/testimonials")), Some("acme"));
        assert_eq!(cors_brand(&segs("/v1/widget/acme")), Some("acme"));
        assert_eq!(cors_brand(&segs("/v1/admin/brands/acme")), None);
        assert_eq!(cors_brand(&segs("/v1/photos/p1")), None);
        // Every cross-origin route names its brand, so its preflight can be answered.
        assert!(ROUTES.iter().filter(|r| r.cors).all(|r| r.params().iter().any(|(n, _)| *n == "brand")));
    }

    #[test]
    fn the_readme_lists_every_route() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split_once("<!-- routes:begin -->\n")
            .and_then(|(_, rest)| rest.split_once("<!-- routes:end -->"))
            .map(|(t, _)| t);
        let expected = readme_table();
        let Some(table) = table else { panic!("README.md has no <!-- routes:begin --> ... <!-- routes:end --> block") };
        if let Some((got, want)) = table.lines().zip(expected.lines()).find(|(a, b)| a != b) {
            panic!("the README's route table is stale (run `cargo xtask docs`):\n  README: {got}\n  table:  {want}");
        }
        assert_eq!(table.lines().count(), expected.lines().count(), "the README's route table is stale: run `cargo xtask docs`");
    }
}
