//! The `blobscale` binary: the web app's entry point on wasm32, the command-line tool natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    blobscale::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(blobscale::cli::run(std::env::args_os().skip(1)));
}
