//! The page's own storage and its address: the saved session in `localStorage` (this
//! origin only — nothing leaves the browser) and shared scenarios in the URL's fragment,
//! which browsers never send to a server, so a shared link reveals nothing to the host.

use wasm_bindgen::JsValue;

use super::error::WebError;

/// Key of the saved session.
pub const SESSION_KEY: &str = "blobscale.session";
/// Where a session this build cannot read is moved, so it is kept rather than overwritten.
pub const UNREADABLE_KEY: &str = "blobscale.session.unreadable";
/// Fragment prefix of a shared scenario: `#s=<scenario string>`.
pub const SHARE_PREFIX: &str = "#s=";

fn storage() -> Result<web_sys::Storage, WebError> {
    web_sys::window()
        .ok_or(WebError::browser("no window"))?
        .local_storage()
        .map_err(|e| {
            WebError::browser(format!(
                "the browser refused local storage: {}",
                describe(&e)
            ))
        })?
        .ok_or(WebError::browser("this browser has no local storage"))
}

fn describe(e: &JsValue) -> String {
    use wasm_bindgen::JsCast;
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The text stored under `key`, if any.
pub fn load(key: &str) -> Result<Option<String>, WebError> {
    storage()?
        .get_item(key)
        .map_err(|e| WebError::browser(format!("could not read saved scenarios: {}", describe(&e))))
}

/// Stores `text` under `key`; a full storage is reported with the size that did not fit.
pub fn save(key: &str, text: &str) -> Result<(), WebError> {
    storage()?.set_item(key, text).map_err(|e| {
        WebError::browser(format!(
            "could not save scenarios ({} KiB): {}",
            text.len().div_ceil(1024),
            describe(&e)
        ))
    })
}

/// The scenario string in the address's fragment (`#s=…`), removed from the address so
/// that editing the scenario afterwards does not leave a stale link in the bar.
pub fn take_shared() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let code = hash.strip_prefix(SHARE_PREFIX)?.to_string();
    if let Ok(history) = window.history() {
        let location = window.location();
        let bare = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&bare));
    }
    Some(code)
}

/// A link that opens scenario string `code` on this page. It points at the page's root
/// (not the single-threaded copy in `st/`), so the receiving browser picks its own build.
pub fn share_link(code: &str) -> String {
    let Some(window) = web_sys::window() else {
        return format!("{SHARE_PREFIX}{code}");
    };
    let location = window.location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let path = path.strip_suffix("index.html").unwrap_or(&path);
    let path = path.strip_suffix("st/").unwrap_or(path);
    format!("{origin}{path}{SHARE_PREFIX}{code}")
}

/// Reloads the page with `?threads=n` (the worker pool's size is fixed when it starts),
/// keeping other query parameters.
pub fn reload_with_threads(n: usize) -> Result<(), WebError> {
    let window = web_sys::window().ok_or(WebError::browser("no window"))?;
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let mut params: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("threads="))
        .map(str::to_string)
        .collect();
    params.push(format!("threads={n}"));
    location
        .set_search(&params.join("&"))
        .map_err(|e| WebError::browser(format!("could not reload: {}", describe(&e))))
}
