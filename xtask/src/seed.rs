//! Demo data: the brand `acme` (an outdoor and wellness shop), its products
//! and approved testimonials, plus a second brand `globex` that tests use to
//! check brands stay apart. Written as SQL and applied with
//! `wrangler d1 execute --local`; safe to apply again.

/// (product id, name, page path on the demo site)
pub const PRODUCTS: &[(&str, &str, &str)] = &[
    ("trail-runner-2", "Trail Runner 2", "/products/trail-runner-2.html"),
    ("plant-protein", "Plant Protein, Vanilla", "/products/plant-protein.html"),
    ("yoga-mat-pro", "Yoga Mat Pro", "/products/yoga-mat-pro.html"),
];

struct T {
    id: &'static str,
    product: &'static str,
    name: &'static str,
    email: &'static str,
    rating: u8,
    title: &'static str,
    body: &'static str,
    tags: &'static str,
    verified: bool,
    ambassador: bool,
    status: &'static str,
    days_ago: i64,
}

const TESTIMONIALS: &[T] = &[
    T { id: "t-acme-01", product: "trail-runner-2", name: "Ana R.", email: "ana@example.com", rating: 5, title: "Grippy on wet rock", body: "Ran the coastal trail in the rain and never slipped once. Light, dry within an hour, and a wide toe box.", tags: r#"["trail running"]"#, verified: true, ambassador: true, status: "approved", days_ago: 2 },
    T { id: "t-acme-02", product: "trail-runner-2", name: "Marcus", email: "marcus@example.com", rating: 4, title: "Great after a short break-in", body: "Stiff for the first 20 km, now the most comfortable shoe I own. Runs small: order half a size up.", tags: r#"["trail running","ultra"]"#, verified: true, ambassador: false, status: "approved", days_ago: 9 },
    T { id: "t-acme-03", product: "trail-runner-2", name: "Priya", email: "priya@example.com", rating: 5, title: "Wide toe box, finally", body: "No more black toenails on long descents.", tags: r#"["trail running"]"#, verified: false, ambassador: false, status: "approved", days_ago: 21 },
    T { id: "t-acme-04", product: "trail-runner-2", name: "Jo", email: "jo@example.com", rating: 3, title: "Runs small", body: "Good shoe, but order half a size up.", tags: "[]", verified: true, ambassador: false, status: "approved", days_ago: 40 },
    T { id: "t-acme-05", product: "trail-runner-2", name: "Pending Pete", email: "pete@example.com", rating: 1, title: "Not yet moderated", body: "This one is pending and must not be shown.", tags: "[]", verified: false, ambassador: false, status: "pending", days_ago: 1 },
    T { id: "t-acme-06", product: "plant-protein", name: "Lena", email: "lena@example.com", rating: 5, title: "Blends smooth, no chalk", body: "My go-to for overnight oats. Vanilla is subtle, not sweet.", tags: r#"["vegan cooking"]"#, verified: true, ambassador: true, status: "approved", days_ago: 3 },
    T { id: "t-acme-07", product: "plant-protein", name: "Sam K.", email: "sam@example.com", rating: 4, title: "Good macros", body: "24 g protein per scoop and it bakes well into banana bread.", tags: r#"["vegan cooking","gym"]"#, verified: false, ambassador: false, status: "approved", days_ago: 15 },
    T { id: "t-acme-08", product: "yoga-mat-pro", name: "Mei", email: "mei@example.com", rating: 5, title: "No slipping in hot yoga", body: "Sticky even when drenched. Worth it.", tags: r#"["yoga"]"#, verified: true, ambassador: false, status: "approved", days_ago: 6 },
    T { id: "t-acme-09", product: "", name: "Chris", email: "chris@example.com", rating: 5, title: "Customer service that cares", body: "They swapped a size twice without any fuss.", tags: "[]", verified: true, ambassador: false, status: "approved", days_ago: 12 },
];

/// The testimonials the widget's first page shows for `product` on the demo
/// site: the approved ones, newest first (the feed's default order, as none
/// is featured), at most a page. (author, title, body) each.
pub fn first_page(product: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut shown: Vec<&T> = TESTIMONIALS.iter().filter(|t| t.product == product && t.status == "approved").collect();
    shown.sort_by_key(|t| t.days_ago);
    shown.into_iter().take(kindred_core::testimonial::PAGE_DEFAULT as usize).map(|t| (t.name, t.title, t.body)).collect()
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Secrets of a local state folder: made once, kept beside the data so the
/// keys printed by `cargo xtask demo` stay valid across restarts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Secrets {
    /// Creates brands over HTTP (`KINDRED_OPERATOR_KEY`).
    pub operator_key: String,
    /// `acme`'s admin API key.
    pub acme_admin_key: String,
    /// `acme`'s identity-token signing secret.
    pub acme_identity_secret: String,
}

fn random_hex(bytes: usize) -> crate::Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

impl Secrets {
    pub fn load_or_create(state: &std::path::Path) -> crate::Result<Self> {
        let file = state.join("secrets.json");
        if let Ok(text) = std::fs::read_to_string(&file) {
            if let Ok(s) = serde_json::from_str(&text) {
                return Ok(s);
            }
        }
        let s = Secrets {
            operator_key: format!("kr_op_{}", random_hex(24)?),
            acme_admin_key: format!("kr_sk_acme_{}", random_hex(32)?),
            acme_identity_secret: random_hex(32)?,
        };
        std::fs::create_dir_all(state)?;
        let json = serde_json::to_string_pretty(&s).map_err(|e| crate::Error(e.to_string()))?;
        std::fs::write(&file, json)?;
        Ok(s)
    }
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The seed SQL. `origins` are the storefront origins allowed to call the
/// edge for `acme` (the demo site's, or a test's).
pub fn sql(origins: &[String], secrets: &Secrets, now_ms: i64) -> String {
    let origins_json = serde_json::to_string(origins).unwrap_or_else(|_| "[]".into());
    let mut s = String::new();
    s.push_str("-- Generated by `cargo xtask` (xtask/src/seed.rs). Safe to apply again.\n");
    s.push_str(&format!(
        "INSERT INTO brands (id, name, accent, incentive_copy, allowed_origins, secret_key_hash, identity_secret, created_at) VALUES \
         ('acme', 'Acme Outdoors', '#0b7a75', 'Give 15%, get $10', {o}, {h}, {i}, {now}) \
         ON CONFLICT(id) DO UPDATE SET allowed_origins = excluded.allowed_origins, \
         secret_key_hash = excluded.secret_key_hash, identity_secret = excluded.identity_secret;\n",
        o = q(&origins_json),
        h = q(&sha256_hex(&secrets.acme_admin_key)),
        i = q(&secrets.acme_identity_secret),
        now = now_ms
    ));
    // The referral program: friends land on the storefront's home page.
    let landing = origins.first().map(|o| format!("{o}/")).unwrap_or_default();
    let referral = serde_json::json!({
        "landing_url": landing,
        "referee_offer": "15% off your first order",
        "leaderboard": true,
    });
    s.push_str(&format!(
        "UPDATE brands SET referral_config = {}, webhook_secret = COALESCE(webhook_secret, 'whsec_demo') WHERE id = 'acme';\n",
        q(&referral.to_string())
    ));
    s.push_str(&format!(
        "INSERT OR IGNORE INTO referrers (id, brand_id, code, name, email, canonical_email, created_at) \
         VALUES ('r-acme-ana', 'acme', 'ANA2TREK', 'Ana R.', 'ana@example.com', 'ana@example.com', {now_ms}), \
         ('r-acme-marco', 'acme', 'MARCO7RN', 'Marco Bianchi', 'marco@example.com', 'marco@example.com', {now_ms}), \
         ('r-acme-leila', 'acme', 'LEILA3FX', 'لیلا احمدی', 'leila@example.com', 'leila@example.com', {now_ms});\n"
    ));
    // Purchases their friends made (approved): the ambassadors' board has
    // entries (migration 0009's triggers count them on the referrers).
    for (n, (referrer, friends)) in [("r-acme-ana", 3), ("r-acme-marco", 2), ("r-acme-leila", 1)].into_iter().enumerate() {
        for k in 0..friends {
            s.push_str(&format!(
                "INSERT OR IGNORE INTO conversions (id, brand_id, order_id, referrer_id, referee_canonical, amount_minor, currency, status, created_at, decided_at) \
                 VALUES ('cv-acme-{n}-{k}', 'acme', 'seed-order-{n}-{k}', '{referrer}', 'friend-{n}-{k}@example.com', 8900, 'USD', 'approved', {now_ms}, {now_ms});\n"
            ));
        }
    }
    s.push_str(&format!(
        "INSERT OR IGNORE INTO groups (id, brand_id, name, description, visibility, moderation, created_at, tag) VALUES \
         ('g-acme-trail', 'acme', 'Trail runners', 'Routes, shoes and race reports.', 'public', 'post', {now_ms}, 'trail running'), \
         ('g-acme-vegan', 'acme', 'Vegan kitchen', 'Recipes with Plant Protein, and everything plant-based.', 'public', 'post', {now_ms}, 'vegan cooking'), \
         ('g-acme-lounge', 'acme', 'Ambassadors lounge', 'Early products and honest feedback, by invitation.', 'private', 'post', {now_ms}, NULL);\n\
         INSERT OR IGNORE INTO group_members (group_id, member_key, display_name, role, joined_at, last_seen_at) VALUES \
         ('g-acme-trail', 'm:seed-ana-000000000000', 'Ana R.', 'lead', {now_ms}, {now_ms});\n\
         INSERT OR IGNORE INTO threads (id, group_id, brand_id, author_key, author_name, title, body, status, pinned, last_activity_at, created_at) VALUES \
         ('th-acme-1', 'g-acme-trail', 'acme', 'm:seed-ana-000000000000', 'Ana R.', 'Saturday long run: who is in?', \
         'Coastal trail, 18 km, easy pace. Meet at the lighthouse at 8.', 'visible', 1, {now_ms}, {now_ms});\n"
    ));
    for i in 1..=20 {
        s.push_str(&format!(
            "INSERT OR IGNORE INTO coupons (brand_id, kind, code, created_at) VALUES ('acme', 'referee', 'FRIEND15-{i:03}', {now_ms}), ('acme', 'reward', 'THANKS10-{i:03}', {now_ms});\n"
        ));
    }
    s.push_str(&format!(
        "INSERT INTO brands (id, name, accent, allowed_origins, created_at) VALUES \
         ('globex', 'Globex Goods', '#5b3cc4', '[\"https://globex.example\"]', {now_ms}) \
         ON CONFLICT(id) DO NOTHING;\n"
    ));
    // A product's page as a full URL on the shop's origin (the first
    // allowed one): the share page's and the review link's product button
    // leave Kindred's origin for it, and a path alone is refused there.
    let shop = origins.first().map_or("", String::as_str);
    for (id, name, path) in PRODUCTS {
        s.push_str(&format!(
            "INSERT INTO products (brand_id, id, name, url, created_at) VALUES ('acme', {}, {}, {}, {now_ms}) \
             ON CONFLICT(brand_id, id) DO UPDATE SET url = excluded.url;\n",
            q(id),
            q(name),
            q(&format!("{shop}{path}"))
        ));
    }
    const DAY: i64 = 86_400_000;
    for t in TESTIMONIALS {
        let product = if t.product.is_empty() { "NULL".to_owned() } else { q(t.product) };
        s.push_str(&format!(
            // The seed's emails are canonical already (lower case, no tag):
            // an ambassador tier finds its author's testimonials by it.
            "INSERT OR IGNORE INTO testimonials (id, brand_id, product_id, author_name, author_email, author_email_canonical, rating, title, body, tags, verified_buyer, ambassador, status, created_at, lang) \
             VALUES ({}, 'acme', {product}, {}, {email}, {email}, {}, {}, {}, {}, {}, {}, {}, {}, 'en');\n",
            q(t.id),
            q(t.name),
            t.rating,
            q(t.title),
            q(t.body),
            q(t.tags),
            u8::from(t.verified),
            u8::from(t.ambassador),
            q(t.status),
            now_ms - t.days_ago * DAY,
            email = q(t.email),
        ));
    }
    // The verified authors ticked "the brand may feature it" on the form:
    // the wall, the feeds and the share cards have something to show.
    for t in TESTIMONIALS.iter().filter(|t| t.verified && t.status == "approved") {
        let at = now_ms - t.days_ago * DAY;
        s.push_str(&format!(
            // Once: a withdrawal made in the demo (logged) stays withdrawn
            // when the demo starts again.
            "UPDATE testimonials SET reuse_consent_at = {at} WHERE id = {id} AND reuse_consent_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM reuse_consent_log WHERE testimonial_id = {id});\n\
             INSERT INTO reuse_consent_log (brand_id, testimonial_id, granted, via, client, at) \
             SELECT 'acme', {id}, 1, 'form', 'demo-seed', {at} WHERE NOT EXISTS (SELECT 1 FROM reuse_consent_log WHERE testimonial_id = {id});\n",
            id = q(t.id)
        ));
    }
    s.push_str(&format!(
        "INSERT OR IGNORE INTO testimonials (id, brand_id, product_id, author_name, author_email, rating, title, body, status, created_at) \
         VALUES ('t-globex-01', 'globex', NULL, 'Gia', 'gia@example.com', 2, 'Globex only', 'Belongs to globex, never to acme.', 'approved', {now_ms});\n"
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_escaped_and_origins_embedded() {
        let secrets = Secrets { operator_key: "op".into(), acme_admin_key: "kr_sk_acme_x".into(), acme_identity_secret: "s".into() };
        let s = sql(&["http://127.0.0.1:8080".into()], &secrets, 1_000);
        assert!(s.contains(&sha256_hex("kr_sk_acme_x")));
        assert!(!s.contains("kr_sk_acme_x"), "the key itself is never stored");
        assert!(s.contains(r#"'["http://127.0.0.1:8080"]'"#));
        assert!(s.contains("'http://127.0.0.1:8080/products/trail-runner-2.html'"), "product pages are full URLs on the shop's origin");
        assert_eq!(q("it's"), "'it''s'");
        assert_eq!(s.matches("INSERT OR IGNORE INTO testimonials").count(), TESTIMONIALS.len() + 1);
        // Stored as their own canonical form: it must be one.
        for t in TESTIMONIALS {
            assert_eq!(kindred_core::referral::canonical_email(t.email), t.email);
        }
    }

    #[test]
    fn first_page_is_the_approved_newest_first() {
        let page = first_page("trail-runner-2");
        let names: Vec<&str> = page.iter().map(|t| t.0).collect();
        assert_eq!(names, ["Ana R.", "Marcus", "Priya", "Jo"]);
    }
}
