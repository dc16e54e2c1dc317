//! The one rule of when an API call has a span: only when a subscriber
//! takes it; and the call's future, run in it. For calls (`send.rs`) and
//! the middleware alike.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
use tracing::{Level, Span};

/// The span `make` makes (a `debug_span!`), or none at all when no
/// subscriber takes debug spans. Entering and leaving a disabled span on
/// every poll still costs, and so does making one (with tracing's `log`
/// feature, a look at the logger each time): so without a subscriber that
/// wants it, the span is neither made nor entered.
pub(crate) fn call_span(make: impl FnOnce() -> Span) -> Span {
    let debug = Level::DEBUG;
    if debug > STATIC_MAX_LEVEL || debug > LevelFilter::current() {
        return Span::none();
    }
    let span = make();
    if span.is_disabled() {
        Span::none()
    } else {
        span
    }
}

pin_project_lite::pin_project! {
    /// A future run in a span, if it has one: [`Instrumented`] without its
    /// costs when the span is none (a look at the `log` crate on every
    /// poll and on drop). Unlike `Instrumented`, a future dropped before it
    /// is done is dropped outside the span.
    ///
    /// [`Instrumented`]: tracing::instrument::Instrumented
    pub(crate) struct InSpan<F> {
        span: Span,
        #[pin]
        fut: F,
    }
}

impl<F: Future> Future for InSpan<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if this.span.is_none() {
            return this.fut.poll(cx);
        }
        let _entered = this.span.enter();
        this.fut.poll(cx)
    }
}

/// `fut`, run in `span` (see [`call_span`]).
pub(crate) fn in_span<F: Future>(span: Span, fut: F) -> InSpan<F> {
    InSpan { span, fut }
}

#[cfg(test)]
mod tests {
    use tracing::level_filters::LevelFilter;

    use super::*;

    #[test]
    fn a_span_is_made_exactly_when_a_subscriber_takes_debug_spans() {
        for (level, made) in [
            (LevelFilter::TRACE, true),
            (LevelFilter::DEBUG, true),
            (LevelFilter::INFO, false),
        ] {
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(level)
                .with_writer(std::io::sink)
                .finish();
            let span = tracing::subscriber::with_default(subscriber, || {
                call_span(|| tracing::debug_span!("api_call"))
            });
            assert_eq!(!span.is_none(), made, "{level}");
        }
        assert!(call_span(|| tracing::debug_span!("api_call")).is_none());
    }
}
