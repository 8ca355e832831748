//! "Latest wins": at most one job in flight and one waiting, so a slider dragged through
//! fifty values starts a handful of jobs, never shows a stale result, and ends on the last.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

type Start<Req, Res> = dyn Fn(Req, Arc<AtomicBool>) -> Pin<Box<dyn Future<Output = Res>>>;

struct State<Req> {
    generation: u64,
    running: Option<Arc<AtomicBool>>,
    waiting: Option<(u64, Req)>,
}

/// Runs submitted requests one at a time, dropping all but the newest waiting one and
/// cancelling the running one when a newer request arrives. Only the newest request's
/// result reaches `deliver`.
pub struct Latest<Req, Res> {
    state: Rc<RefCell<State<Req>>>,
    start: Rc<Start<Req, Res>>,
    deliver: Rc<dyn Fn(Res)>,
}

impl<Req, Res> Clone for Latest<Req, Res> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            start: self.start.clone(),
            deliver: self.deliver.clone(),
        }
    }
}

impl<Req: 'static, Res: 'static> Latest<Req, Res> {
    /// A runner that computes with `start` and hands current results to `deliver`.
    pub fn new<F, Fut>(start: F, deliver: impl Fn(Res) + 'static) -> Self
    where
        F: Fn(Req, Arc<AtomicBool>) -> Fut + 'static,
        Fut: Future<Output = Res> + 'static,
    {
        Self {
            state: Rc::new(RefCell::new(State {
                generation: 0,
                running: None,
                waiting: None,
            })),
            start: Rc::new(move |req, cancel| Box::pin(start(req, cancel))),
            deliver: Rc::new(deliver),
        }
    }

    /// Submits a request; any older one still running is cancelled.
    pub fn submit(&self, req: Req) {
        let mut s = self.state.borrow_mut();
        s.generation += 1;
        let generation = s.generation;
        if let Some(cancel) = &s.running {
            cancel.store(true, Ordering::Relaxed);
            s.waiting = Some((generation, req));
        } else {
            drop(s);
            self.launch(generation, req);
        }
    }

    fn launch(&self, generation: u64, req: Req) {
        let cancel = Arc::new(AtomicBool::new(false));
        self.state.borrow_mut().running = Some(cancel.clone());
        let this = self.clone();
        let fut = (self.start)(req, cancel);
        wasm_bindgen_futures::spawn_local(async move {
            let res = fut.await;
            let next = {
                let mut s = this.state.borrow_mut();
                s.running = None;
                if s.generation == generation {
                    drop(s);
                    (this.deliver)(res);
                    None
                } else {
                    s.waiting.take()
                }
            };
            if let Some((g, req)) = next {
                this.launch(g, req);
            }
        });
    }
}
