//! Interest groups and private threads in the widget: groups to join (with
//! an invite for private ones), threads, replies, reactions, reports, and a
//! "new replies" badge kept fresh by bounded polling.

use crate::api::community as api;
use crate::api::Config;
use crate::member;
use kindred_core::community::{GroupView, PostStatus, ReplyView, ThreadView, REACTIONS, REPORT_REASONS};
use kindred_core::moderation::RejectReason;
use crate::i18n::{use_i18n, Arg};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;

/// Polls for unread counts every 30 s, at most this many times per page view.
const POLLS_MAX: u32 = 60;
const POLL_MS: u32 = 30_000;

fn reaction_glyph(kind: &str) -> &'static str {
    match kind {
        "like" => "👍",
        "love" => "❤️",
        "helpful" => "💡",
        _ => "🎉",
    }
}

/// Review, then group: right after a review is sent, the group that fits
/// it (`kindred_core::community::suggest`: one of its tags, else its
/// product), joined in one click under the name just typed. Nothing shows
/// when no group fits or the groups cannot be read.
#[component]
pub fn GroupAfterReview(cfg: StoredValue<Config>, name: String, tags: Vec<String>) -> impl IntoView {
    let i = use_i18n();
    let group = RwSignal::new(None::<GroupView>);
    let joined = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    // A member's name in groups is shorter than a review's: a long one
    // joins under its first word (the button says which).
    let name = StoredValue::new(member_name(&name));
    let status: NodeRef<leptos::html::P> = NodeRef::new();
    spawn_local(async move {
        let c = cfg.get_value();
        if let Ok(all) = api::groups(&c, &member::token()).await {
            group.set(kindred_core::community::suggest(&all, c.product.as_deref(), &tags).cloned());
        }
    });
    let join = move |_| {
        let Some(g) = group.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let origin = crate::Focus::here();
        spawn_local(async move {
            match api::join(&cfg.get_value(), &member::token(), &g.id, &name.get_value(), None).await {
                Ok(_) => {
                    member::remember_community();
                    joined.set(Some(i.f("next-group-joined", &[("group", Arg::Text(&g.name))])));
                    // The button goes; the focus goes to what replaced it.
                    origin.later(status);
                }
                Err(e) => problem.set(Some(crate::api::error_text(i, &e))),
            }
            busy.set(false);
        });
    };
    move || {
        group.get().map(|g| {
            kview! {
                // Named by its pitch, not "Community": the community's own region
                // has that name (helper-89: two regions, one name).
                <section class="kr-next kr-next-group" aria-labelledby="kr-next-group-pitch">
                    <p id="kr-next-group-pitch" class="kr-next-pitch" dir="auto">{i.f("next-group-pitch", &[("group", Arg::Text(&g.name))])}</p>
                    {(!g.description.is_empty()).then(|| kview! { <p class="kr-group-desc kr-next-desc" dir="auto">{g.description.clone()}</p> })}
                    // Present from the start, so the joined line is announced.
                    <p class="kr-thanks" role="status" tabindex="-1" node_ref=status>{move || joined.get()}</p>
                    <Show when=move || joined.with(Option::is_none)>
                        <button type="button" class="kr-next-join" aria-describedby="kr-next-group-pitch" aria-busy=crate::aria(busy.into())
                            disabled=move || busy.get() on:click=join>
                            {name.with_value(|n| i.f("next-group-join", &[("name", Arg::Text(n))]))}
                        </button>
                        <p class="kr-err" role="alert">{move || problem.get()}</p>
                    </Show>
                </section>
            }
        })
    }
}

/// A review's display name as a group member's: as it is when it fits
/// (`kindred_core::community::MEMBER_NAME_MAX` code points), else its first
/// word, cut to fit between two characters as a reader sees them
/// (`i18n::prefix_graphemes`: never half an emoji or a letter's marks).
fn member_name(name: &str) -> String {
    let max = kindred_core::community::MEMBER_NAME_MAX;
    if name.chars().count() <= max {
        return name.to_owned();
    }
    crate::i18n::prefix_graphemes(name.split_whitespace().next().unwrap_or(name), max).to_owned()
}

/// `?kindred_group=G&kindred_invite=T` on the page: an invite link.
pub(crate) fn invite_from_url() -> Option<(String, String)> {
    let search = web_sys::window()?.location().search().ok()?;
    let get = |k: &str| {
        search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix(k)).map(|v| String::from(js_sys::decode_uri_component(v).ok().unwrap_or_default()))
    };
    Some((get("kindred_group=")?, get("kindred_invite=")?))
}

/// What the community part shows. A group's or a thread's screen carries
/// the ticket of the navigation that drew it (`Community`'s `navigate`):
/// an answer that comes back for a screen applies only while that very
/// screen is shown, not after the shopper left it, nor once they opened
/// the same thread again (helper-96: an earlier page asked for before
/// that was added twice, with the keys of the keyed list twice).
#[derive(Clone, PartialEq)]
enum Screen {
    Groups,
    Group(String, u64),
    Thread(String, u64),
}

/// A line said beside the control it is about (helper-95: the part's one
/// status line is at its top, thousands of pixels above a reply box or a
/// reaction at the end of a long thread): its words, and whether it tells
/// of trouble (red) or of what was done (green). Each is a `role="status"`
/// region, kept in the accessibility tree while empty (live.css
/// `.kr-said`), so a screen reader hears it as a sighted shopper sees it.
/// An answer that comes once its screen is gone is said on the part's
/// status line instead (helper-98: said nowhere, or under another thread).
#[derive(Clone, PartialEq)]
struct Said {
    trouble: bool,
    text: String,
}

impl Said {
    fn trouble(text: String) -> Option<Self> {
        Some(Said { trouble: true, text })
    }
    fn done(text: String) -> Option<Self> {
        Some(Said { trouble: false, text })
    }
}

/// The `<p>` a [`Said`] shows in (`extra`: its own class, for styles and
/// tests; `id`, for a control's `aria-describedby`); empty, it takes no
/// room (live.css).
fn said_line(extra: &'static str, id: Option<String>, said: impl Fn() -> Option<Said> + Clone + Send + Sync + 'static) -> impl IntoView {
    let words = said.clone();
    kview! {
        <p class=move || match said() {
                Some(s) => format!("kr-said {extra} {}", if s.trouble { "kr-err" } else { "kr-thanks" }),
                None => format!("kr-said {extra}"),
            } id=id role="status">
            {move || words().map(|s| s.text)}
        </p>
    }
}

/// "12 new", or "99+ new" from the edge's cap (`sql::UNREAD_CAP`: unread
/// threads are counted up to 100 per group).
fn unread_label(i: crate::i18n::I18n, n: u32) -> String {
    i.capped("unread", f64::from(n), kindred_core::sql::UNREAD_CAP as f64)
}

/// The community section, behind a button that shows unread replies.
#[component]
pub fn Community(
    /// The widget's edge and brand.
    cfg: StoredValue<Config>,
    /// Opened by the shopper (or by an invite link), rather than loaded for
    /// the unread badge: read once, as the part is built.
    start_open: Signal<bool>,
) -> impl IntoView {
    let invite = StoredValue::new(invite_from_url());
    let open = RwSignal::new(start_open.get_untracked() || invite.with_value(Option::is_some));
    // This visit's part of a new post's `Idempotency-Key` (`retry_key`).
    let salt = StoredValue::new(crate::member::idempotency_key());
    // Opened by the tap that loaded it: a second tap right after is not
    // taken as closing it.
    let arrival = crate::lazy::Arrival::now(start_open.get_untracked());
    let unread = RwSignal::new(0u32);
    let screen = RwSignal::new(Screen::Groups);
    // The group whose threads are shown, as the edge last described it.
    let here = RwSignal::new(None::<GroupView>);
    // The "Leave this group?" question is open.
    let asking_leave = RwSignal::new(false);
    let leave_button: NodeRef<leptos::html::Button> = NodeRef::new();
    let stay_button: NodeRef<leptos::html::Button> = NodeRef::new();
    let status_line: NodeRef<leptos::html::P> = NodeRef::new();
    // What takes focus when the control that had it leaves with its screen
    // (helper-89: "Join", "Open" and a posted thread left it on the host
    // page's body): the group's name, the new thread.
    let body_ref: NodeRef<leptos::html::Div> = NodeRef::new();
    // Keeps keyboard focus on the question's answer, and back on the
    // button once it is put away (the control that had it is gone).
    let ask_leave = move |ask: bool| {
        asking_leave.set(ask);
        crate::focus_later(if ask { stay_button } else { leave_button });
    };
    let groups = RwSignal::new(Vec::<GroupView>::new());
    let threads = RwSignal::new(Vec::<ThreadView>::new());
    // The open thread, its replies shown (oldest first) and every shown
    // post's reaction counts by post id, apart: a reply, a reaction, an
    // earlier page or a removal changes its own row and count (a keyed
    // list), not the whole thread (which was drawn again on each: its
    // photo, an open question, the pressed button and a screen reader's
    // place went with it).
    let current = RwSignal::new(None::<ThreadView>);
    let replies = RwSignal::new(Vec::<ReplyView>::new());
    let counts = RwSignal::new(HashMap::<String, Vec<(String, u32)>>::new());
    // The cursor of the replies before the ones shown (`None`: all shown),
    // and an earlier page on its way (its button stays, busy, meanwhile).
    let earlier = RwSignal::new(None::<String>);
    let earlier_busy = RwSignal::new(false);
    let replies_ref: NodeRef<leptos::html::Ul> = NodeRef::new();
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let reply_text = RwSignal::new(String::new());
    // Each thread's unsent reply, by thread id, while another is shown (one
    // box served every thread: helper-99 found words typed under one in
    // the next, and a late answer from the first emptied the second's).
    let drafts = StoredValue::new(HashMap::<String, String>::new());
    // The same for each group's unsent thread, (title, text) by group id
    // (helper-105: with a thread on its way to one group, the next showed
    // its words under an enabled "Post").
    let thread_drafts = StoredValue::new(HashMap::<String, (String, String)>::new());
    let message = RwSignal::new(None::<String>);
    // The writes on their way, by what and where (`join:{group}`,
    // `leave:{group}`, `thread:{group}`, `reply:{thread}`): each holds its
    // own button, not the others' (helper-104: one reply held for its two
    // minutes' deadline held joining, leaving and posting everywhere).
    let sending = RwSignal::new(Vec::<String>::new());
    let on_way = |s: &Vec<String>, what: &str| s.iter().any(|w| w == what);
    let going = move |what: &str| sending.with(|s| on_way(s, what));
    let begin = move |what: &str| -> bool {
        if sending.with_untracked(|s| on_way(s, what)) {
            return false;
        }
        sending.update(|s| s.push(what.to_owned()));
        true
    };
    let end = move |what: &str| sending.update(|s| s.retain(|w| w != what));
    let member = StoredValue::new(member::token());
    let thread_photo: NodeRef<leptos::html::Input> = NodeRef::new();
    // Each group's chosen photo for its unsent thread, by group id: the form
    // is drawn again on every move (another group, the list and back), and
    // its file field with it, so the photo went while the words stayed
    // (helper-107). Put back into the field when its group's form is drawn
    // (`restore_photo`); gone once that thread is posted with it.
    let photo_drafts = StoredValue::new(HashMap::<String, web_sys::File>::new());
    let chosen_photo = move || thread_photo.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0));
    let keep_photo = move |_| {
        let Screen::Group(g, _) = screen.get_untracked() else { return };
        let file = chosen_photo();
        photo_drafts.update_value(|d| match file {
            Some(f) => {
                d.insert(g, f);
            }
            None => {
                d.remove(&g);
            }
        });
    };
    Effect::new(move || {
        let Some(input) = thread_photo.get() else { return };
        let Screen::Group(g, _) = screen.get_untracked() else { return };
        if let Some(f) = photo_drafts.with_value(|d| d.get(&g).cloned()) {
            restore_photo(&input, &f);
        }
    });
    // The reactions this member turned on among the posts shown, as (post
    // id, kind), for the buttons' aria-pressed: as the edge read them with
    // the thread and its earlier pages, and as its answers to their
    // presses since.
    let mine = RwSignal::new(Vec::<(String, &'static str)>::new());
    // What became of a reaction or a report on a post, under that post
    // (helper-95: a 429 seventy replies down was told at the top of the
    // part): the post's id and the words. Likewise a reply's fate in the
    // reply form, and an earlier page's beside its place in the list.
    let post_said = RwSignal::new(None::<(String, Said)>);
    // Replies found removed while shown (a reaction's or a report's
    // answer is 404): each row says so in its place, with the message's
    // id (`post-gone`, `report-gone`).
    let removed = RwSignal::new(Vec::<(String, &'static str)>::new());
    let reply_said = RwSignal::new(None::<Said>);
    let earlier_said = RwSignal::new(None::<Said>);
    let i = use_i18n();
    // The status line's last failure, so that a later success of the same
    // kind of action takes it away (helper-95: "Couldn't connect" stayed
    // after the retry worked), never a thanks shown since.
    let failure = StoredValue::new(None::<String>);
    let fail = move |e: kindred_core::ApiError| {
        let text = crate::api::error_text(i, &e);
        failure.set_value(Some(text.clone()));
        message.set(Some(text));
    };
    let recovered = move || {
        if let Some(f) = failure.get_value() {
            failure.set_value(None);
            if message.with_untracked(|m| m.as_ref() == Some(&f)) {
                message.set(None);
            }
        }
    };
    // Whether the screen an action was asked on (`shown`, see `Screen`) is
    // still the one shown: its answer goes there, else nowhere or on the
    // status line.
    // A move on its way (another group or thread asked for, the old screen
    // still drawn) counts as gone (helper-109: the answer was said bare,
    // then stood on the new screen); one that failed leaves the screen as
    // it was (helper-110: a failed move left every answer elsewhere).
    let nav = StoredValue::new(0u64);
    let moving = StoredValue::new(false);
    let still = move |shown: &Screen| !moving.get_value() && screen.with_untracked(|now| now == shown);
    // The status line's words for an answer about a thread not shown
    // (`about`: its name), or, with `group`, about one that was not posted
    // there. A name in another script keeps to itself (an isolate:
    // left-to-right UIs do not add one).
    let elsewhere = move |about: &str, group: Option<&str>, said: &str| -> String {
        let isolated = |s: &str| format!("\u{2068}{s}\u{2069}");
        match group {
            None => i.f("said-in-thread", &[("thread", Arg::Text(&isolated(about))), ("said", Arg::Text(said))]),
            Some(g) => i.f("thread-not-posted", &[("thread", Arg::Text(&isolated(about))), ("group", Arg::Text(&isolated(g))), ("said", Arg::Text(said))]),
        }
    };
    // An answer's line: beside its control (`beside`) while the screen it
    // was asked on (`shown`) is shown, else on the status line (`Said`),
    // naming the thread it is about (`about`, its title then; empty: none).
    let say = move |shown: &Screen, about: &str, said: Option<Said>, beside: &dyn Fn(Option<Said>)| {
        if still(shown) {
            beside(said);
        } else if let Some(s) = said {
            // Not a `failure`: the groups read again would take it away
            // before it was read (helper-101).
            message.set(Some(if about.is_empty() { s.text } else { elsewhere(about, None, &s.text) }));
        }
    };
    // The title of the thread shown, for `say`.
    let shown_title = move || current.with_untracked(|c| c.as_ref().map(|t| t.title.clone()).unwrap_or_default());

    let refresh_unread = move || {
        if !member::in_community() {
            return;
        }
        spawn_local(async move {
            if let Ok(n) = api::unread(&cfg.get_value(), &member.get_value()).await {
                unread.set(n);
            }
        })
    };
    refresh_unread();
    // Bounded polling, paused while the page is hidden.
    let polls = StoredValue::new(0u32);
    let interval = gloo::timers::callback::Interval::new(POLL_MS, move || {
        let hidden = web_sys::window().and_then(|w| w.document()).map(|d| d.hidden()).unwrap_or(false);
        if hidden || polls.get_value() >= POLLS_MAX {
            return;
        }
        polls.update_value(|n| *n += 1);
        refresh_unread();
    });
    let interval = StoredValue::new_local(Some(interval));
    on_cleanup(move || interval.update_value(|i| drop(i.take())));

    let load_groups = move || {
        spawn_local(async move {
            match api::groups(&cfg.get_value(), &member.get_value()).await {
                Ok(g) => {
                    // Opened again after "Couldn't connect": the list
                    // came, the line goes.
                    recovered();
                    groups.set(g);
                }
                Err(e) => fail(e),
            }
        })
    };
    // Every move between screens takes a ticket; an answer that opens a
    // screen applies only if no other move came after it (two taps, A then
    // B, show B; "All groups" pressed meanwhile stays).
    // A new move: the latest governs `moving` (`open_group` and
    // `open_thread` set it until their answer; the others move at once).
    let navigate = move || {
        nav.update_value(|n| *n += 1);
        moving.set_value(false);
        nav.get_value()
    };
    let open_group = move |id: String| {
        message.set(None);
        let origin = crate::Focus::here();
        let ticket = navigate();
        moving.set_value(true);
        spawn_local(async move {
            let answer = api::threads(&cfg.get_value(), &member.get_value(), &id).await;
            if nav.get_value() != ticket {
                return;
            }
            moving.set_value(false);
            match answer {
                Ok(t) => {
                    // The form holds this group's draft, the last one's put by.
                    let last = here.with_untracked(|g| g.as_ref().map(|g| g.id.clone()));
                    if last.as_deref() != Some(t.group.id.as_str()) {
                        let words = (title.get_untracked(), body.get_untracked());
                        let mut draft = (String::new(), String::new());
                        thread_drafts.update_value(|d| {
                            if let Some(last) = last {
                                if words.0.trim().is_empty() && words.1.trim().is_empty() {
                                    d.remove(&last);
                                } else {
                                    d.insert(last, words);
                                }
                            }
                            draft = d.remove(&t.group.id).unwrap_or_default();
                        });
                        title.set(draft.0);
                        body.set(draft.1);
                    }
                    threads.set(t.threads);
                    asking_leave.set(false);
                    screen.set(Screen::Group(t.group.id.clone(), ticket));
                    here.set(Some(t.group));
                    refresh_unread();
                    origin.later_in(body_ref, ".kr-group-title");
                }
                Err(e) => fail(e),
            }
        })
    };
    let open_thread = move |id: String| {
        message.set(None);
        let origin = crate::Focus::here();
        let ticket = navigate();
        moving.set_value(true);
        spawn_local(async move {
            let answer = api::thread(&cfg.get_value(), &member.get_value(), &id, None).await;
            if nav.get_value() != ticket {
                return;
            }
            moving.set_value(false);
            match answer {
                Ok(t) => {
                    earlier.set(t.earlier_cursor);
                    earlier_busy.set(false);
                    counts.set(t.replies.iter().map(|r| (r.id.clone(), r.reactions.clone())).chain([(t.thread.id.clone(), t.thread.reactions.clone())]).collect());
                    mine.set(pressed(&t.reacted));
                    post_said.set(None);
                    reply_said.set(None);
                    earlier_said.set(None);
                    removed.set(Vec::new());
                    // The box holds this thread's draft (kept if it is the
                    // same thread again), the last one's put by.
                    let last = current.with_untracked(|c| c.as_ref().map(|c| c.id.clone()));
                    if last.as_deref() != Some(id.as_str()) {
                        let words = reply_text.get_untracked();
                        let mut draft = String::new();
                        drafts.update_value(|d| {
                            if let Some(last) = last {
                                if words.trim().is_empty() {
                                    d.remove(&last);
                                } else {
                                    d.insert(last, words);
                                }
                            }
                            draft = d.remove(&id).unwrap_or_default();
                        });
                        reply_text.set(draft);
                    }
                    replies.set(t.replies);
                    current.set(Some(t.thread));
                    screen.set(Screen::Thread(id, ticket));
                    origin.later_in(body_ref, ".kr-post-title");
                }
                Err(e) => fail(e),
            }
        })
    };
    let load_earlier = move |_| {
        // One request at a time; a second click waits for the first.
        let (Some(cursor), Some(t), false) = (earlier.get_untracked(), current.get_untracked(), earlier_busy.get_untracked()) else { return };
        let here = screen.get_untracked();
        earlier_busy.set(true);
        earlier_said.set(None);
        let origin = crate::Focus::here();
        spawn_local(async move {
            let page = api::thread(&cfg.get_value(), &member.get_value(), &t.id, Some(&cursor)).await;
            // For the screen it was asked for only (see `Screen`).
            if !still(&here) {
                return;
            }
            earlier_busy.set(false);
            match page {
                Ok(page) => {
                    earlier.set(page.earlier_cursor.clone());
                    counts.update(|c| c.extend(page.replies.iter().map(|r| (r.id.clone(), r.reactions.clone()))));
                    // The page's replies' only, once each.
                    let new: Vec<_> = pressed(&page.reacted).into_iter().filter(|(id, _)| page.replies.iter().any(|r| r.id == *id)).collect();
                    mine.update(|m| {
                        m.retain(|p| !new.contains(p));
                        m.extend(new);
                    });
                    let mut came = page.replies;
                    // Never a key twice in the keyed list.
                    replies.with_untracked(|shown| came.retain(|r| !shown.iter().any(|s| s.id == r.id)));
                    // Said, as the rows come in under the button (or in
                    // place of it, after the last page).
                    earlier_said.set(Said::done(i.n("thread-earlier-shown", came.len() as f64)));
                    replies.update(|shown| {
                        came.append(shown);
                        *shown = came;
                    });
                    // The last page: the button goes, and the list, now
                    // from its first reply, takes the focus it had, where
                    // it is on screen.
                    if page.earlier_cursor.is_none() {
                        origin.later_in_place(replies_ref);
                    }
                }
                Err(e) => earlier_said.set(Said::trouble(crate::api::error_text(i, &e))),
            }
        })
    };
    let join = move |group: String, token: Option<String>| {
        if name.get_untracked().trim().is_empty() {
            message.set(Some(i.t("community-name-first")));
            // Where the name goes, not on "Join" (helper-94).
            crate::focus_later_in(body_ref, "#kr-member-name");
            return;
        }
        let what = format!("join:{group}");
        if !begin(&what) {
            return;
        }
        // Where the shopper was when they tapped: a late answer does not
        // take them from where they went since (helper-106: it opened the
        // joined group under a thread being typed in another).
        let ticket = nav.get_value();
        spawn_local(async move {
            match api::join(&cfg.get_value(), &member.get_value(), &group, &name.get_untracked(), token.as_deref()).await {
                Ok(joined) => {
                    member::remember_community();
                    load_groups();
                    if nav.get_value() == ticket {
                        message.set(None);
                        open_group(group);
                    } else {
                        message.set(Some(i.f("group-joined", &[("group", Arg::Text(&joined.name))])));
                    }
                }
                Err(e) => fail(e),
            }
            end(&what);
        });
    };
    let leave = move |_| {
        let Some(g) = here.get_untracked() else { return };
        let shown = screen.get_untracked();
        let what = format!("leave:{}", g.id);
        if !begin(&what) {
            return;
        }
        let origin = crate::Focus::here();
        spawn_local(async move {
            match api::leave(&cfg.get_value(), &member.get_value(), &g.id).await {
                Ok(left) => {
                    // Its unsent thread is put by, for a return (helper-106:
                    // the words went with the group).
                    if here.with_untracked(|h| h.as_ref().is_some_and(|h| h.id == g.id)) {
                        let words = (title.get_untracked(), body.get_untracked());
                        if !(words.0.trim().is_empty() && words.1.trim().is_empty()) {
                            thread_drafts.update_value(|d| {
                                d.insert(g.id.clone(), words);
                            });
                        }
                        title.set(String::new());
                        body.set(String::new());
                    }
                    // The list as it is now, before it is read again: a
                    // private group goes from it, a public one says "Join".
                    groups.update(|list| {
                        list.retain(|x| x.id != left.id || left.visibility == kindred_core::community::Visibility::Public);
                        if let Some(x) = list.iter_mut().find(|x| x.id == left.id) {
                            *x = left.clone();
                        }
                    });
                    message.set(Some(i.f("group-left", &[("group", Arg::Text(&g.name))])));
                    load_groups();
                    refresh_unread();
                    // Back to the list, unless the shopper went on elsewhere.
                    if still(&shown) {
                        navigate();
                        asking_leave.set(false);
                        here.set(None);
                        screen.set(Screen::Groups);
                        // The control that had focus is gone: the line
                        // saying what happened takes it.
                        origin.later(status_line);
                    }
                }
                Err(e) => fail(e),
            }
            end(&what);
        });
    };
    if open.get_untracked() {
        load_groups();
    }

    let start_thread = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let shown = screen.get_untracked();
        let Screen::Group(g, _) = shown.clone() else { return };
        let file = chosen_photo();
        if file.as_ref().is_some_and(|f| f.size() > kindred_core::photo::MAX_BYTES as f64) {
            message.set(Some(i.f("error-photo-size", &[("name", Arg::Text(&file.as_ref().map(web_sys::File::name).unwrap_or_default())), ("max", Arg::Number((kindred_core::photo::MAX_BYTES / (1024 * 1024)) as f64))])));
            return;
        }
        let what = format!("thread:{g}");
        if !begin(&what) {
            return;
        }
        let origin = crate::Focus::here();
        // The words as sent: read now, not after the photo's upload, when
        // the form may hold another group's (helper-106).
        let (t, b) = (title.get_untracked(), body.get_untracked());
        let group = here.with_untracked(|h| h.as_ref().map(|h| h.name.clone()).unwrap_or_default());
        spawn_local(async move {
            // A refusal after the shopper went on (another group, or this
            // one left meanwhile) names the thread and its group on the
            // status line (it said only the edge's "join the group first");
            // its words stay in that group's form or put-by draft.
            // Named by its title, else its text's first words. An answer
            // that never came (`unavailable`) may hide a thread that was
            // posted: said about it, not as refused; one that never came
            // for its photo did not (`maybe_posted`: false, helper-109).
            let name = if t.trim().is_empty() { crate::i18n::prefix_graphemes(b.trim(), 40).to_owned() } else { t.clone() };
            let refused = |e: kindred_core::ApiError, maybe_posted: bool| {
                if still(&shown) {
                    fail(e);
                } else {
                    let refused_in = (!(maybe_posted && e.code == kindred_core::ErrorCode::Unavailable)).then_some(group.as_str());
                    message.set(Some(elsewhere(&name, refused_in, &crate::api::error_text(i, &e))));
                }
            };
            let photo = match &file {
                Some(f) => match crate::api::upload_photo(&cfg.get_value(), f).await {
                    Ok(p) => Some(p.id),
                    Err(e) => {
                        refused(e, false);
                        end(&what);
                        return;
                    }
                },
                None => None,
            };
            // The photo chosen is part of what was asked (helper-109: another
            // one chosen after a lost answer was dropped as the same thread);
            // each try uploads it anew, so by the file, not the upload.
            let chosen = file.as_ref().map(|f| format!("{}\u{1f}{}\u{1f}{}", f.name(), f.size(), f.last_modified())).unwrap_or_default();
            let key = retry_key(&salt.get_value(), &[&g, &t, &b, &chosen]);
            match api::start(&cfg.get_value(), &member.get_value(), &g, &t, &b, photo.as_deref(), &key).await {
                Ok(posted) => {
                    // What went leaves its group's form, or its put-by
                    // draft, if unchanged since; never another group's.
                    if here.with_untracked(|h| h.as_ref().is_some_and(|h| h.id == g)) {
                        if title.get_untracked() == t && body.get_untracked() == b {
                            title.set(String::new());
                            body.set(String::new());
                        }
                    } else {
                        thread_drafts.update_value(|d| {
                            if d.get(&g).is_some_and(|w| w.0 == t && w.1 == b) {
                                d.remove(&g);
                            }
                        });
                    }
                    // Its photo leaves the group's put-by choice, unless another was chosen since.
                    photo_drafts.update_value(|d| {
                        if d.get(&g).is_some_and(|f| file.as_ref().is_some_and(|s| same_file(s, f))) {
                            d.remove(&g);
                        }
                    });
                    // The field, while its group's form is shown and holds the
                    // photo sent (put back there on a return: helper-109).
                    let here_now = screen.with_untracked(|s| matches!(s, Screen::Group(x, _) if *x == g));
                    if let Some(i) = thread_photo.get_untracked().filter(|_| here_now && matches!((chosen_photo(), file.as_ref()), (Some(a), Some(b)) if same_file(&a, b))) {
                        i.set_value("");
                        // The field's face follows `change` (components.rs `PhotoField`).
                        if let Ok(e) = web_sys::Event::new("change") {
                            let _ = i.dispatch_event(&e);
                        }
                    }
                    let t = posted;
                    // Said where it was sent, else about it on the status line
                    // (helper-109: said bare elsewhere, and a post shown at
                    // once emptied another screen's line).
                    let thanks = (t.status == PostStatus::Pending).then(|| i.t("thanks-post"));
                    if still(&shown) {
                        message.set(thanks);
                    } else if let Some(thanks) = thanks {
                        message.set(Some(elsewhere(&name, None, &thanks)));
                    }
                    // Listed wherever its group's threads are shown, that
                    // screen or one opened again since (helper-106: opened
                    // again, it emptied the form and listed nothing); the
                    // focus moves only on the screen it was sent from.
                    if screen.with_untracked(|s| matches!(s, Screen::Group(x, _) if *x == g)) {
                        let first = still(&shown);
                        threads.update(|list| {
                            if !list.iter().any(|x| x.id == t.id) {
                                list.insert(0, t);
                            }
                        });
                        if first {
                            origin.later_in(body_ref, ".kr-thread-list .kr-thread-open");
                        }
                    }
                }
                Err(e) => refused(e, true),
            }
            end(&what);
        });
    };
    let send_reply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let shown = screen.get_untracked();
        let Screen::Thread(t, _) = shown.clone() else { return };
        let what = format!("reply:{t}");
        if !begin(&what) {
            return;
        }
        let origin = crate::Focus::here();
        reply_said.set(None);
        earlier_said.set(None);
        let sent = reply_text.get_untracked();
        let about = shown_title();
        spawn_local(async move {
            let key = retry_key(&salt.get_value(), &[&t, &sent]);
            let said = match api::reply(&cfg.get_value(), &member.get_value(), &t, &sent, &key).await {
                Ok(r) => {
                    // What went leaves its thread's box, or its put-by
                    // draft, if that still begins with it; never another's.
                    // Words typed after them while it went stay (helper-101).
                    let rest = |w: &str| w.strip_prefix(sent.as_str()).map(|r| r.trim_start().to_owned());
                    if current.with_untracked(|c| c.as_ref().is_some_and(|c| c.id == t)) {
                        if let Some(r) = reply_text.with_untracked(|w| rest(w)) {
                            reply_text.set(r);
                        }
                    } else {
                        drafts.update_value(|d| {
                            if let Some(r) = d.get(&t).and_then(|w| rest(w)) {
                                if r.is_empty() {
                                    d.remove(&t);
                                } else {
                                    d.insert(t.clone(), r);
                                }
                            }
                        });
                    }
                    let held = r.status == PostStatus::Pending;
                    // At the end of the thread it went to, if still shown,
                    // once (a thread opened again may list it already).
                    if still(&shown) {
                        counts.update(|c| {
                            c.insert(r.id.clone(), r.reactions.clone());
                        });
                        replies.update(|list| {
                            if !list.iter().any(|x| x.id == r.id) {
                                list.push(r);
                            }
                        });
                    }
                    if held { Said::done(i.t("thanks-reply")) } else { None }
                }
                Err(e) => Said::trouble(crate::api::error_text(i, &e)),
            };
            say(&shown, &about, said, &|s| reply_said.set(s));
            end(&what);
            // The button, disabled while the reply went, lost the focus:
            // back to the reply box, for the next one (helper-92: it fell
            // to the page's body).
            origin.later_in(body_ref, "#kr-reply-body");
        });
    };
    // The reactions on their way, as (post id, kind): pressed again
    // meanwhile, a button waits for its answer (helper-96: a double tap
    // sent two toggles, whose answers could cross).
    let reacting = StoredValue::new(Vec::<(String, &'static str)>::new());
    // The pressed button stays (its row is keyed), and so does the focus.
    // A post the edge says is gone (removed since it was drawn: a report's
    // or a reaction's answer is 404) loses its controls (helper-92: it
    // stayed, with its Report and, for a thread, its reply box): a reply's
    // row says so in its place and takes the focus (helper-98: said at the
    // top of the part, out of sight below a long thread; the focus had
    // gone to the list); a thread takes the shopper back to its group's
    // list, read again, the status line saying so. If they left that
    // screen meanwhile (`shown`: the screen the action was on), only the
    // status line says it.
    let gone = move |id: String, shown: Screen, origin: crate::Focus, said: &'static str| {
        let here = still(&shown);
        let group = current.with_untracked(|c| c.as_ref().filter(|t| t.id == id && here).map(|t| t.group_id.clone()));
        match group {
            Some(group) => {
                threads.update(|t| t.retain(|x| x.id != id));
                open_group(group);
            }
            None if here => {
                removed.update(|r| r.push((id.clone(), said)));
                // Post ids are letters, digits, `-` and `_`.
                origin.later_in(replies_ref, format!("li[data-id=\"{id}\"] .kr-removed"));
                return;
            }
            None => replies.update(|list| list.retain(|r| r.id != id)),
        }
        message.set(Some(i.t(said)));
    };
    let react = move |kind: &'static str, id: String, reaction: &'static str| {
        if reacting.with_value(|r| r.iter().any(|(x, k)| x == &id && *k == reaction)) {
            return;
        }
        reacting.update_value(|r| r.push((id.clone(), reaction)));
        // Cleared first: the same words again are news (helper-98).
        if post_said.with_untracked(|s| s.as_ref().is_some_and(|(x, _)| x == &id)) {
            post_said.set(None);
        }
        let shown = screen.get_untracked();
        let about = shown_title();
        let origin = crate::Focus::here();
        spawn_local(async move {
            // The state the shopper sees flipped: asked as a state, a retry
            // after a lost answer does not undo it (helper-104).
            let on = !mine.with_untracked(|m| m.iter().any(|(x, k)| x == &id && *k == reaction));
            let answer = api::react(&cfg.get_value(), &member.get_value(), kind, &id, reaction, on).await;
            reacting.update_value(|r| r.retain(|(x, k)| !(x == &id && *k == reaction)));
            match answer {
                Err(e) if e.code == kindred_core::ErrorCode::NotFound => gone(id, shown, origin, "post-gone"),
                Err(e) => say(&shown, &about, Said::trouble(crate::api::error_text(i, &e)), &|s| post_said.set(s.map(|s| (id.clone(), s)))),
                Ok(r) => {
                    mine.update(|m| {
                        m.retain(|(x, k)| !(x == &id && *k == reaction));
                        if r.on {
                            m.push((id.clone(), reaction));
                        }
                    });
                    counts.update(|c| {
                        if let Some(shown) = c.get_mut(&id) {
                            *shown = r.reactions;
                        }
                    });
                }
            }
        })
    };
    // Reporting asks why first, under the post (helper-89: one mis-tap on
    // "Report" filed a report, with no reason for the brand): the post
    // whose question is open, the reason chosen in it, what the question
    // says (beside it: helper-91 found the panel's line out of sight on a
    // phone), and its own busy flag (a reply on its way is not a report).
    let reporting = RwSignal::new(None::<String>);
    let report_reason = RwSignal::new(None::<RejectReason>);
    let report_said = RwSignal::new(None::<String>);
    let report_busy = RwSignal::new(false);
    let hide_report = move || {
        reporting.set(None);
        report_said.set(None);
    };
    let close_report = move |back: NodeRef<leptos::html::Button>, origin: crate::Focus| {
        hide_report();
        origin.later(back);
    };
    let report = move |kind: &'static str, id: String, form: NodeRef<leptos::html::Fieldset>, back: NodeRef<leptos::html::Button>| {
        let Some(reason) = report_reason.get_untracked() else {
            report_said.set(Some(i.t("report-choose")));
            crate::focus_later_in(form, "input");
            return;
        };
        if report_busy.get_untracked() {
            return;
        }
        report_busy.set(true);
        report_said.set(None);
        if post_said.with_untracked(|s| s.as_ref().is_some_and(|(x, _)| x == &id)) {
            post_said.set(None);
        }
        let origin = crate::Focus::here();
        let shown = screen.get_untracked();
        let about = shown_title();
        spawn_local(async move {
            match api::report(&cfg.get_value(), &member.get_value(), kind, &id, reason).await {
                Ok(_) => {
                    close_report(back, origin.clone());
                    say(&shown, &about, Said::done(i.t("thanks-report")), &|s| post_said.set(s.map(|s| (id.clone(), s))));
                }
                // Removed since it was shown: nothing to send again.
                Err(e) if e.code == kindred_core::ErrorCode::NotFound => {
                    reporting.set(None);
                    gone(id, shown, origin, "report-gone");
                }
                Err(e) => report_said.set(Some(crate::api::error_text(i, &e))),
            }
            report_busy.set(false);
        })
    };
    // `own`: the shopper's own post, which has no Report (the edge refuses
    // it). Its counts are read from `counts`, so that a reaction changes
    // the button's number and name, not the button.
    let reactions_row = move |kind: &'static str, id: String, own: bool| {
        let report_button: NodeRef<leptos::html::Button> = NodeRef::new();
        let report_form: NodeRef<leptos::html::Fieldset> = NodeRef::new();
        let asking = {
            let id = id.clone();
            Signal::derive(move || reporting.with(|r| r.as_deref() == Some(id.as_str())))
        };
        // Post ids are letters, digits, `-` and `_`: one id per question.
        let form_id = format!("kr-report-{id}");
        let said = {
            let id = id.clone();
            move || post_said.with(|s| s.as_ref().filter(|(x, _)| *x == id).map(|(_, t)| t.clone()))
        };
        kview! {
            <div class="kr-reactions">
                {REACTIONS.iter().map(|r| {
                    let id = id.clone();
                    let n = {
                        let id = id.clone();
                        Memo::new(move |_| counts.with(|c| c.get(&id).and_then(|c| c.iter().find(|(k, _)| k == r)).map_or(0, |(_, n)| *n)))
                    };
                    let pressed = {
                        let id = id.clone();
                        crate::aria(Signal::derive(move || mine.with(|m| m.iter().any(|(x, k)| x == &id && k == r))))
                    };
                    kview! {
                        <button type="button" class="kr-react" data-kind=*r aria-pressed=pressed
                            aria-label=move || i.f(&format!("reaction-{r}"), &[("count", Arg::Number(f64::from(n.get())))])
                            on:click=move |_| react(kind, id.clone(), r)>
                            {reaction_glyph(r)} {move || { let n = n.get(); (n > 0).then(|| format!(" {}", i.number(f64::from(n)))) }}
                        </button>
                    }
                }).collect_view()}
                {(!own).then(|| { let id = id.clone(); kview! {
                <button type="button" class="kr-report" node_ref=report_button aria-expanded=crate::aria(asking) aria-controls=form_id.clone()
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" && asking.get_untracked() {
                        ev.stop_propagation();
                        hide_report();
                    }
                    on:click={
                        let id = id.clone();
                        // A disclosure: pressed again, the question closes.
                        move |_| {
                            if asking.get_untracked() {
                                hide_report();
                                return;
                            }
                            report_reason.set(None);
                            report_said.set(None);
                            reporting.set(Some(id.clone()));
                            crate::focus_later_in(report_form, "input");
                        }
                    }>{i.t("report")}</button>
                }})}
            </div>
            {said_line("kr-post-said", None, said)}
            {move || asking.get().then(|| {
                let id = id.clone();
                let said_id = format!("{form_id}-said");
                let described_by = said_id.clone();
                kview! {
                    <fieldset class="kr-report-form" id=form_id.clone() node_ref=report_form aria-describedby=described_by
                        on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" {
                            ev.stop_propagation();
                            close_report(report_button, crate::Focus::here());
                        }>
                        <legend>{i.t("report-why")}</legend>
                        {REPORT_REASONS.iter().map(|r| {
                            let r = *r;
                            kview! {
                                <label class="kr-report-reason">
                                    <input type="radio" name="kr-report-reason" value=r.as_str()
                                        prop:checked=move || report_reason.get() == Some(r)
                                        on:change=move |_| { report_reason.set(Some(r)); report_said.set(None); } />
                                    {i.t(&format!("report-reason-{}", r.as_str()))}
                                </label>
                            }
                        }).collect_view()}
                        {said_line("kr-report-said", Some(said_id), move || report_said.get().and_then(Said::trouble))}
                        <div class="kr-form-actions">
                            <button type="button" class="kr-submit kr-report-send" aria-busy=crate::aria(report_busy.into())
                                on:click=move |_| report(kind, id.clone(), report_form, report_button)>{i.t("report-send")}</button>
                            <button type="button" class="kr-cancel" on:click=move |_| close_report(report_button, crate::Focus::here())>{i.t("cancel")}</button>
                        </div>
                    </fieldset>
                }
            })}
        }
    };
    let now = js_sys::Date::now() as i64;

    kview! {
        <section class="kr-community" aria-label=i.t("community-label")>
            <button type="button" class="kr-community-open" aria-expanded=crate::aria(open.into())
                on:click=move |ev| {
                    if arrival.echoes(&ev) {
                        return;
                    }
                    let o = !open.get_untracked();
                    open.set(o);
                    if o {
                        load_groups();
                    } else {
                        // Not said again when it opens on the same thread.
                        post_said.set(None);
                        reply_said.set(None);
                        earlier_said.set(None);
                    }
                }>
                {i.t("community")}
                <Show when=move || { unread.get() > 0 }>
                    <span class="kr-unread">{move || unread_label(i, unread.get())}</span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div class="kr-community-body" node_ref=body_ref>
                    <p class="kr-status" role="status" tabindex="-1" node_ref=status_line>{move || message.get()}</p>
                    {move || match screen.get() {
                        Screen::Groups => kview! {
                            <div class="kr-groups">
                                <div class="kr-field">
                                    <label for="kr-member-name">{i.t("community-name")}</label>
                                    <input id="kr-member-name" type="text" maxlength="40" dir="auto" bind:value=name />
                                </div>
                                {invite.get_value().map(|(g, t)| kview! {
                                    <p class="kr-invite">{i.t("community-invited")} " "
                                        <button type="button" class="kr-invite-join" disabled={ let w = format!("join:{g}"); move || going(&w) }
                                            on:click=move |_| join(g.clone(), Some(t.clone()))>{i.t("community-accept")}</button>
                                    </p>
                                })}
                                <ul class="kr-group-list">
                                    <For each=move || groups.get() key=|g| (g.id.clone(), g.member, g.unread) children=move |g| {
                                        let (id1, id2) = (g.id.clone(), g.id.clone());
                                        let joining = format!("join:{}", g.id);
                                        kview! {
                                            <li class="kr-group" data-id=g.id.clone()>
                                                <strong dir="auto">{g.name.clone()}</strong>
                                                {(g.visibility == kindred_core::community::Visibility::Private).then(|| kview! { <span class="kr-badge">{i.t("group-private")}</span> })}
                                                {(g.unread > 0).then(|| kview! { <span class="kr-unread">{unread_label(i, g.unread)}</span> })}
                                                <p class="kr-group-desc" dir="auto">{g.description.clone()}</p>
                                                <span class="kr-hint">{i.n("group-members", g.members as f64)}</span>
                                                {if g.member {
                                                    kview! { <button type="button" class="kr-group-open" on:click=move |_| open_group(id1.clone())>{i.t("group-open")}</button> }.into_any()
                                                } else {
                                                    kview! { <button type="button" class="kr-group-join" disabled=move || going(&joining) on:click=move |_| join(id2.clone(), None)>{i.t("group-join")}</button> }.into_any()
                                                }}
                                            </li>
                                        }
                                    } />
                                </ul>
                            </div>
                        }.into_any(),
                        Screen::Group(..) => kview! {
                            <div class="kr-threads">
                                <button type="button" class="kr-back" on:click=move |_| { navigate(); screen.set(Screen::Groups); load_groups(); }>{i.t("groups-all")}</button>
                                // Which group this is (helper-89: only "All groups" and
                                // "Leave" said where a post would go).
                                {move || here.get().map(|g| kview! {
                                    <h3 class="kr-group-title" dir="auto" tabindex="-1">{g.name.clone()}</h3>
                                    {(!g.description.is_empty()).then(|| kview! { <p class="kr-group-desc" dir="auto">{g.description.clone()}</p> })}
                                })}
                                {move || here.get().filter(|g| g.member).map(|g| if asking_leave.get() {
                                    kview! {
                                        // A group named by its question (announced with the
                                        // focused answer); Escape puts it away, as "Stay".
                                        <div class="kr-leave-ask" role="group" aria-labelledby="kr-leave-q"
                                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { ask_leave(false); }>
                                            <span id="kr-leave-q">{i.f("group-leave-confirm", &[("group", Arg::Text(&g.name))])}</span>
                                            // A verified shopper joins a private group without an invite.
                                            {(g.visibility == kindred_core::community::Visibility::Private && crate::identity().is_none()).then(|| kview! { " " <span>{i.t("group-leave-private")}</span> })}
                                            " "
                                            <button type="button" class="kr-leave-yes" disabled={ let w = format!("leave:{}", g.id); move || going(&w) } on:click=leave>{i.t("group-leave-yes")}</button>
                                            " "
                                            <button type="button" class="kr-leave-no" node_ref=stay_button on:click=move |_| ask_leave(false)>{i.t("group-leave-no")}</button>
                                        </div>
                                    }.into_any()
                                } else {
                                    kview! { <button type="button" class="kr-leave" node_ref=leave_button on:click=move |_| ask_leave(true)>{i.t("group-leave")}</button> }.into_any()
                                })}
                                <form class="kr-form kr-thread-form" novalidate on:submit=start_thread aria-label=i.t("thread-start")>
                                    <div class="kr-field"><label for="kr-thread-title">{i.t("form-title")}</label>
                                        <input id="kr-thread-title" type="text" maxlength="120" dir="auto" bind:value=title /></div>
                                    <div class="kr-field"><label for="kr-thread-body">{i.t("thread-message")}</label>
                                        <textarea id="kr-thread-body" rows="3" maxlength="5000" dir="auto" bind:value=body></textarea></div>
                                    <div class="kr-field" on:change=keep_photo><label for="kr-thread-photo">{i.t("thread-photo")} " " <span class="kr-hint">{i.t("form-optional")}</span></label>
                                        <crate::components::PhotoField id="kr-thread-photo" multiple=false input=thread_photo /></div>
                                    <div class="kr-form-actions"><button type="submit" class="kr-submit kr-thread-submit"
                                        disabled=move || screen.with(|s| matches!(s, Screen::Group(g, _) if going(&format!("thread:{g}"))))>{i.t("thread-post")}</button></div>
                                </form>
                                <ul class="kr-thread-list">
                                    <For each=move || threads.get() key=|t| (t.id.clone(), t.reply_count) children=move |t| {
                                        let id = t.id.clone();
                                        kview! {
                                            <li class="kr-thread" data-id=t.id.clone()>
                                                <button type="button" class="kr-thread-open" dir="auto" on:click=move |_| open_thread(id.clone())>{t.title.clone()}</button>
                                                {t.pinned.then(|| kview! { <span class="kr-badge kr-featured">{i.t("thread-pinned")}</span> })}
                                                {(t.status == PostStatus::Pending).then(|| kview! { <span class="kr-badge">{i.t("thread-pending")}</span> })}
                                                <span class="kr-hint">" "<bdi>{shown_name(i, &t.author_name)}</bdi>{format!(" · {} · {}", i.n("thread-replies", f64::from(t.reply_count)), i.relative(now, t.last_activity_at))}</span>
                                            </li>
                                        }
                                    } />
                                </ul>
                            </div>
                        }.into_any(),
                        Screen::Thread(..) => kview! {
                            <div class="kr-thread-view">
                                <button type="button" class="kr-back" on:click=move |_| {
                                    if let Some(t) = current.get_untracked() { open_group(t.group_id); }
                                }>{i.t("thread-back")}</button>
                                {move || current.get().map(|t| kview! {
                                    <article class="kr-post" data-id=t.id.clone()>
                                        <h4 class="kr-post-title" dir="auto" tabindex="-1">{t.title.clone()}</h4>
                                        <p class="kr-body" dir="auto">{t.body.clone()}</p>
                                        {t.photo.clone().map(|p| kview! {
                                            <img class="kr-photo" src=cfg.with_value(|c| c.url(&p.url)) width=p.width height=p.height
                                                loading="lazy" alt=i.f("photo-alt", &[("name", Arg::Text(&t.author_name))]) />
                                        })}
                                        <p class="kr-hint"><bdi>{shown_name(i, &t.author_name)}</bdi>{format!(" · {}", i.relative(now, t.created_at))}</p>
                                        {reactions_row("threads", t.id.clone(), t.mine)}
                                    </article>
                                    {t.brand_reply.clone().map(|reply| kview! { <crate::components::BrandReplyNote reply /> })}
                                    <Show when=move || earlier.with(Option::is_some)>
                                        <button type="button" class="kr-more kr-earlier" aria-busy=crate::aria(earlier_busy.into()) on:click=load_earlier>{i.t("thread-earlier")}</button>
                                    </Show>
                                    {said_line("kr-earlier-said", None, move || earlier_said.get())}
                                    <ul class="kr-replies" tabindex="-1" aria-label=i.t("thread-replies-label") aria-busy=crate::aria(earlier_busy.into()) node_ref=replies_ref>
                                        <For each=move || replies.get() key=|r| r.id.clone() children=move |r| {
                                            let (id, row_id) = (r.id.clone(), r.id.clone());
                                            let gone_said = Memo::new(move |_| removed.with(|g| g.iter().find(|(x, _)| *x == id).map(|(_, said)| *said)));
                                            kview! {
                                                <li class="kr-reply" data-id=row_id>
                                                    // Removed: its words and controls go.
                                                    {move || gone_said.with(Option::is_none).then(|| kview! {
                                                        <p class="kr-body" dir="auto">{r.body.clone()}</p>
                                                        <p class="kr-hint"><bdi>{shown_name(i, &r.author_name)}</bdi>{format!(" · {}", i.relative(now, r.created_at))}</p>
                                                        {reactions_row("replies", r.id.clone(), r.mine)}
                                                    })}
                                                    // ...and its place says so: a live region there
                                                    // before (heard even when the focus, gone on to
                                                    // another control, does not come to it: helper-101).
                                                    <p class="kr-said kr-hint kr-removed" role="status" tabindex="-1">{move || gone_said.get().map(|said| i.t(said))}</p>
                                                </li>
                                            }
                                        } />
                                    </ul>
                                })}
                                <form class="kr-form kr-reply-form" novalidate on:submit=send_reply aria-label=i.t("reply")>
                                    <div class="kr-field"><label for="kr-reply-body">{i.t("reply-label")}</label>
                                        // The reply's fate is read with the box the focus
                                        // goes back to, should its announcement be missed.
                                        <textarea id="kr-reply-body" rows="2" maxlength="5000" dir="auto" aria-describedby="kr-reply-said" bind:value=reply_text></textarea></div>
                                    {said_line("kr-reply-said", Some("kr-reply-said".to_owned()), move || reply_said.get())}
                                    <div class="kr-form-actions"><button type="submit" class="kr-submit kr-reply-submit"
                                        disabled=move || screen.with(|s| matches!(s, Screen::Thread(t, _) if going(&format!("reply:{t}"))))>{i.t("reply")}</button></div>
                                </form>
                            </div>
                        }.into_any(),
                    }}
                </div>
            </Show>
        </section>
    }
}

/// The shopper's own reactions as the edge gave them (`ThreadPage::reacted`),
/// as the buttons know them: each kind one of [`REACTIONS`] (an unknown
/// one, from a newer edge, has no button).
fn pressed(reacted: &[(String, String)]) -> Vec<(String, &'static str)> {
    reacted.iter().filter_map(|(id, kind)| REACTIONS.iter().find(|r| **r == kind.as_str()).map(|r| (id.clone(), *r))).collect()
}

/// One file, as a shopper chose it: by name, size and time (a field filled
/// again through a `DataTransfer` need not give back the same object).
fn same_file(a: &web_sys::File, b: &web_sys::File) -> bool {
    a.name() == b.name() && a.size() == b.size() && a.last_modified() == b.last_modified()
}

/// Puts `file` back into a file field drawn again (through a
/// `DataTransfer`'s list, the one way a page can fill one: Chrome 60,
/// Firefox 62, Safari 14.1), and tells the field's face (`change`). Where
/// that fails the field stays empty, as before.
fn restore_photo(input: &web_sys::HtmlInputElement, file: &web_sys::File) {
    let Ok(list) = web_sys::DataTransfer::new() else { return };
    if list.items().add_with_file(file).is_err() {
        return;
    }
    input.set_files(list.files().as_ref());
    if let Ok(e) = web_sys::Event::new("change") {
        let _ = input.dispatch_event(&e);
    }
}

/// A new post's `Idempotency-Key`: this visit's `salt` and a hash of where
/// it goes and its words (FNV-1a, 64 bits). The same words sent again to
/// the same place in this visit (a retry after the answer was lost: the
/// request's deadline) name the first post, which the edge answers with
/// instead of a second (helper-104: a reply tried again was posted twice).
fn retry_key(salt: &str, parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{salt}-{h:016x}")
}

/// A post's author as shown: "Former member" for one who erased their data
/// under the brand's `anonymise` policy (`kindred_core::privacy`).
fn shown_name(i: crate::i18n::I18n, name: &str) -> String {
    if name.is_empty() {
        i.t("former-member")
    } else {
        name.to_owned()
    }
}
