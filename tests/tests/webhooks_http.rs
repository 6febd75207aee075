#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Webhooks a platform can trust: only public https targets (plain http to
//! loopback only in local development), a timeout per attempt, and one
//! brand's hanging endpoint never delays another brand's delivery.

use kindred_tests::{hanging_receiver, post_json, receiver, TestBrand};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn rewards_by_webhook(b: &TestBrand, url: &str) {
    b.configure(json!({
        "referral": {"landing_url": "https://shop.example/", "reward": "webhook", "webhook_url": url},
        "rate_limits": {"per_client": 10000, "per_brand": 100000},
    }));
}

/// A referrer and one purchase through their code: one `reward.issued` delivery.
fn reward(b: &TestBrand, n: usize) {
    let m = format!("member-hooks-{n:0>12}");
    let r = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", &m)], &json!({"name": "Rae Ref", "email": format!("rae{n}@example.com")}));
    assert_eq!(r.status, 201, "{}", r.text());
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let purchase = json!({"order_id": format!("o-{}-{n}", b.id), "referee_email": format!("buyer{n}@example.com"), "amount_minor": 5900, "currency": "USD", "code": code});
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/conversions", b.id), Some(&purchase));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["reward"]["state"], "webhook", "{}", r.text());
}

fn log(b: &TestBrand) -> Vec<Value> {
    let r = b.admin("GET", &format!("/v1/admin/brands/{}/webhooks", b.id), None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["deliveries"].as_array().cloned().unwrap_or_default()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

#[test]
fn a_brand_whose_endpoint_hangs_never_delays_another_brands_delivery() {
    let slow = TestBrand::create("hook-slow");
    let (hang_url, hung) = hanging_receiver(Duration::from_secs(25));
    rewards_by_webhook(&slow, &hang_url);
    let fast = TestBrand::create("hook-fast");
    let (fast_url, fast_rx) = receiver(vec![200]);
    rewards_by_webhook(&fast, &fast_url);

    // The slow brand's two deliveries go first, then the fast brand's one.
    for n in 0..2 {
        reward(&slow, n);
    }
    let sent = Instant::now();
    reward(&fast, 100);
    fast_rx.recv_timeout(Duration::from_secs(8)).expect("the fast brand's webhook arrives while the slow one hangs");
    let waited = sent.elapsed();
    assert!(waited < Duration::from_secs(8), "the fast brand waited {waited:?} (each slow attempt may take 10 s)");

    // Its log: delivered, with the attempt's duration.
    let mut d = Value::Null;
    for _ in 0..50 {
        d = log(&fast).first().cloned().unwrap_or_default();
        if d["status"] == "delivered" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(d["status"], "delivered", "{d}");
    assert_eq!(d["last_status"], 200);
    assert!(d["last_duration_ms"].as_i64().is_some_and(|ms| (0..8000).contains(&ms)), "{d}");

    // The slow brand's attempts (one after another: a brand with a hanging
    // endpoint delays only itself) were cut at the 10 s timeout and
    // scheduled again.
    let deadline = Instant::now() + Duration::from_secs(35);
    let entries = loop {
        let entries = log(&slow);
        if entries.len() == 2 && entries.iter().all(|e| e["attempts"] == 1) {
            break entries;
        }
        assert!(Instant::now() < deadline, "the slow brand's attempts never ended: {entries:?}");
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(hung.load(std::sync::atomic::Ordering::SeqCst) >= 2, "both were attempted");
    for e in &entries {
        assert_eq!(e["status"], "pending", "{e}");
        assert!(e["last_error"].as_str().is_some_and(|m| m.contains("10 s")), "{e}");
        let took = e["last_duration_ms"].as_i64().unwrap();
        assert!((9_000..15_000).contains(&took), "an attempt is abandoned at 10 s, took {took} ms");
        let wait = e["next_attempt_at"].as_i64().unwrap() - now_ms();
        assert!((5_000..=40_000).contains(&wait), "retried in about 30 s, got {wait} ms");
    }
}

#[test]
fn webhook_targets_are_public_https_only() {
    let b = TestBrand::create("hook-ssrf");
    let path = format!("/v1/admin/brands/{}", b.id);
    for (body, field) in [
        (json!({"referral": {"reward": "webhook", "webhook_url": "http://169.254.169.254/latest/meta-data/"}}), "referral.webhook_url"),
        (json!({"referral": {"reward": "webhook", "webhook_url": "https://169.254.169.254/latest/meta-data/"}}), "referral.webhook_url"),
        (json!({"referral": {"reward": "webhook", "webhook_url": "https://0x7f.1/hook"}}), "referral.webhook_url"),
        (json!({"referral": {"reward": "webhook", "webhook_url": "https://[::ffff:a9fe:a9fe]/"}}), "referral.webhook_url"),
        (json!({"referral": {"reward": "webhook", "webhook_url": "http://hooks.example.com/"}}), "referral.webhook_url"),
        (json!({"community_webhook_url": "https://10.0.0.8/hook"}), "community_webhook_url"),
        (json!({"community_webhook_url": "https://metadata/computeMetadata/v1/"}), "community_webhook_url"),
        (json!({"community_webhook_url": "https://user:pw@hooks.example.com/"}), "community_webhook_url"),
    ] {
        let r = b.admin("PATCH", &path, Some(&body));
        r.assert_error(422, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{body}");
    }
    let ok = b.admin("PATCH", &path, Some(&json!({"community_webhook_url": "https://hooks.example.com/kindred"})));
    assert_eq!(ok.status, 200, "{}", ok.text());
    // Plain http to loopback: this edge runs locally (`cargo xtask` allows it).
    let ok = b.admin("PATCH", &path, Some(&json!({"community_webhook_url": "http://127.0.0.1:9/hook"})));
    assert_eq!(ok.status, 200, "{}", ok.text());
}
