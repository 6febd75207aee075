//! The widget's files of earlier builds, in R2 (`ASSET_ARCHIVE`), so a page
//! loaded before a deploy still gets its live widget. The rules (keys,
//! names, types, ages) are `kindred_core::assets`; why it exists is there.
//!
//! R2 rather than keeping old files among the static assets: a deploy
//! uploads only what is in `edge/public/` on the machine that deploys (a
//! fresh CI checkout has no earlier build), and static assets cannot be
//! listed or kept per version. R2 is the platform's object store, local
//! under `wrangler dev` as in production.

use crate::errors::{EdgeError, EdgeResult};
use crate::http::set_header;
use kindred_core::assets::{self, Manifest};
use worker::{Bucket, Env, HttpMetadata, Response};

/// The R2 binding of the archive.
pub const BINDING: &str = "ASSET_ARCHIVE";

/// What one run of [`archive_current`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Archived {
    /// The deployed build (empty when there was no manifest).
    pub build: String,
    /// Files written (0 once the build is archived).
    pub files: usize,
    /// Files of the manifest the static assets do not have (404; logged,
    /// and the build is marked archived all the same, so they are not asked
    /// for again every minute).
    pub missing: Vec<String>,
    /// Earlier builds deleted.
    pub deleted_builds: usize,
}

/// The cron job's step: archives the deployed build's files if its marker
/// is missing (every file, then the marker, so a run cut short is redone;
/// a file the static assets do not have is skipped and named in
/// `missing`), rewrites the marker once a day, and deletes builds
/// superseded more than `assets::KEEP_MS` ago (whatever archiving did).
///
/// # Errors
/// The `ASSETS` or `ASSET_ARCHIVE` binding missing, the manifest unreadable
/// or invalid, or R2 failing. The caller logs it; the next minute's run
/// tries again.
pub async fn archive_current(env: &Env, now: i64) -> EdgeResult<Archived> {
    let bucket = archive_bucket(env)?;
    let files = static_assets(env)?;
    // `wrangler dev` without `cargo xtask build`: nothing to keep.
    let Some(manifest) = read_manifest(env).await? else { return Ok(Archived::default()) };
    let mut done = Archived { build: manifest.build.clone(), ..Archived::default() };
    let archived = archive_build(&bucket, &files, &manifest, now, &mut done).await;
    done.deleted_builds = prune(&bucket, &manifest.build, now).await?;
    archived.map(|()| done)
}

async fn archive_build(bucket: &Bucket, files: &worker::Fetcher, manifest: &Manifest, now: i64, done: &mut Archived) -> EdgeResult<()> {
    let marker = assets::marker_key(&manifest.build);
    match bucket.head(marker.clone()).await.map_err(|e| EdgeError::store("archive marker", e))? {
        Some(m) if !assets::needs_refresh(m.uploaded().as_millis() as i64, now) => {}
        Some(_) => put(bucket, &marker, Vec::new(), None).await?,
        None => {
            for path in &manifest.files {
                let Some(key) = assets::object_key(&manifest.build, path) else { continue };
                let mut file = files.fetch(asset_url(&format!("/assets/{}/{path}", manifest.build)), None).await.map_err(|e| EdgeError::store("static asset", e))?;
                match file.status_code() {
                    200 => {}
                    404 => {
                        done.missing.push(path.clone());
                        continue;
                    }
                    // Tried again, with the rest, by the next minute's run.
                    other => return Err(EdgeError::store("static asset", format!("{path} of build {} answered {other}", manifest.build))),
                }
                let bytes = file.bytes().await.map_err(|e| EdgeError::store("static asset body", e))?;
                put(bucket, &key, bytes, assets::content_type(path)).await?;
                done.files += 1;
            }
            put(bucket, &marker, Vec::new(), None).await?;
        }
    }
    Ok(())
}

/// The archive's R2 bucket.
fn archive_bucket(env: &Env) -> EdgeResult<Bucket> {
    env.bucket(BINDING).map_err(|e| EdgeError::internal("R2 binding ASSET_ARCHIVE", e))
}

/// The Worker's static assets (`ASSETS`: the deployed build's files).
fn static_assets(env: &Env) -> EdgeResult<worker::Fetcher> {
    env.assets("ASSETS").map_err(|e| EdgeError::internal("ASSETS binding", e))
}

/// A URL for the `ASSETS` binding (only its path matters).
fn asset_url(path: &str) -> String {
    format!("https://assets.invalid{path}")
}

/// One of the Worker's static assets at `path` (`/embed.js`), through the
/// `ASSETS` binding: `None` when there is none (404). Errors (`what` names
/// the file): the binding missing (`internal`), failing or answering
/// anything else (`unavailable`).
pub async fn static_file(env: &Env, path: &str, what: &'static str) -> EdgeResult<Option<worker::Response>> {
    let r = static_assets(env)?.fetch(asset_url(path), None).await.map_err(|e| EdgeError::store(what, e))?;
    match r.status_code() {
        200 => Ok(Some(r)),
        404 => Ok(None),
        other => Err(EdgeError::store(what, format!("the static assets answered {other}"))),
    }
}

/// The deployed build's manifest (`kindred_core::assets::MANIFEST_PATH`,
/// through the `ASSETS` binding); `None` when the static assets have none.
///
/// # Errors
/// The binding missing or failing, or a manifest that is not valid.
async fn read_manifest(env: &Env) -> EdgeResult<Option<Manifest>> {
    let Some(mut r) = static_file(env, assets::MANIFEST_PATH, "build manifest").await? else { return Ok(None) };
    let manifest: Manifest = r.json().await.map_err(|e| EdgeError::internal("build manifest", e))?;
    if !manifest.is_valid() {
        return Err(EdgeError::internal("build manifest", format!("not a build's manifest: {manifest:?}")));
    }
    Ok(Some(manifest))
}

/// The deployed build's name (12 hex), read once per isolate (a deploy
/// starts new isolates); `None` without a manifest, or when it cannot be
/// read (logged, and asked again after a minute, not on every request).
pub async fn deployed_build(env: &Env, now: i64) -> Option<String> {
    /// The answer, and until when it holds (ms; `i64::MAX`: for good).
    type Known = Option<(Option<String>, i64)>;
    thread_local! {
        static BUILD: std::cell::RefCell<Known> = const { std::cell::RefCell::new(None) };
    }
    if let Some((build, _)) = BUILD.with(|b| b.borrow().clone()).filter(|(_, until)| now < *until) {
        return build;
    }
    let (build, until) = match read_manifest(env).await {
        Ok(m) => (m.map(|m| m.build), i64::MAX),
        Err(e) => {
            worker::console_warn!("the build's manifest: {}", e.into_api_error());
            (None, now.saturating_add(60_000))
        }
    };
    BUILD.with(|b| *b.borrow_mut() = Some((build.clone(), until)));
    build
}

async fn put(bucket: &Bucket, key: &str, bytes: Vec<u8>, content_type: Option<&str>) -> EdgeResult<()> {
    let meta = HttpMetadata { content_type: content_type.map(str::to_owned), ..Default::default() };
    bucket.put(key, bytes).http_metadata(meta).execute().await.map_err(|e| EdgeError::store("archive put", e))?;
    Ok(())
}

/// Deletes every archived build but `current` whose marker (or, without
/// one, oldest file) is older than `assets::KEEP_MS`. Returns how many.
async fn prune(bucket: &Bucket, current: &str, now: i64) -> EdgeResult<usize> {
    let listed = bucket.list().prefix(assets::PREFIX).delimiter("/").execute().await.map_err(|e| EdgeError::store("archive list", e))?;
    let mut deleted = 0;
    for prefix in listed.delimited_prefixes() {
        let Some(build) = assets::build_of(&prefix) else { continue };
        if build == current {
            continue;
        }
        let objects = bucket.list().prefix(prefix.clone()).limit(1000).execute().await.map_err(|e| EdgeError::store("archive list", e))?.objects();
        let marked = objects.iter().find(|o| o.key() == assets::marker_key(build)).or_else(|| objects.iter().min_by_key(|o| o.uploaded().as_millis()));
        if !marked.is_some_and(|m| assets::expired(m.uploaded().as_millis() as i64, now)) {
            continue;
        }
        // Another version still live (a gradual deployment) may have
        // refreshed it since the list: asked again just before deleting.
        let marker = assets::marker_key(build);
        if let Some(m) = bucket.head(marker.clone()).await.map_err(|e| EdgeError::store("archive marker", e))? {
            if !assets::expired(m.uploaded().as_millis() as i64, now) {
                continue;
            }
        }
        // The files first, the marker last: a run cut short leaves a build
        // that is still pruned, never a marker over missing files.
        let keys: Vec<String> = objects.iter().map(|o| o.key()).filter(|k| *k != marker).collect();
        // R2 refuses a delete of no keys (a build left with its marker alone).
        if !keys.is_empty() {
            bucket.delete_multiple(keys).await.map_err(|e| EdgeError::store("archive delete", e))?;
        }
        bucket.delete(marker).await.map_err(|e| EdgeError::store("archive delete", e))?;
        deleted += 1;
    }
    Ok(deleted)
}

/// `GET /assets/{build}/{path}` for a build the static assets no longer
/// hold: the archived file, with the static assets' headers (`_headers`:
/// immutable, readable from any origin, `nosniff`). 404 (`not_found`) for
/// a name that is not one of ours or a file not archived.
///
/// # Errors
/// As above; R2 failing is a 500.
pub async fn serve(env: &Env, build: &str, path: &str) -> EdgeResult<Response> {
    let missing = || EdgeError::api(kindred_core::ErrorCode::NotFound, "no such file in this build or any kept one");
    let (key, kind) = match (assets::object_key(build, path), assets::content_type(path)) {
        (Some(key), Some(kind)) => (key, kind),
        _ => return Err(missing()),
    };
    let object = archive_bucket(env)?.get(key).execute().await.map_err(|e| EdgeError::store("archive get", e))?.ok_or_else(missing)?;
    let body = object.body().ok_or_else(missing)?.response_body().map_err(|e| EdgeError::store("archive body", e))?;
    let mut resp = Response::from_body(body).map_err(|e| EdgeError::internal("archive response", e))?;
    set_header(&mut resp, "content-type", kind);
    set_header(&mut resp, "cache-control", "public, max-age=31536000, immutable");
    set_header(&mut resp, "access-control-allow-origin", "*");
    set_header(&mut resp, "x-content-type-options", "nosniff");
    Ok(resp)
}
