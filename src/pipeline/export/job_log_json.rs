//! `jobs.json`: the job log (Taipy's jobs, each with the per-chunk task records behind the
//! task stream — the Dask dashboard's "task stream" data), with the scenario it was exported
//! for and the build that ran it, so a log can be read without the page that wrote it.
//!
//! ```json
//! {"format": "blobscale-jobs", "version": 1, "blobscale": "0.1.0",
//!  "build": {"flavour": "threaded", "threads": 2, ...},
//!  "scenario": {...ScenarioInputs...},
//!  "jobs": [{"id": 1, "task": "generate", "status": {"status": "completed", ...},
//!            "tasks": [{"kind": "generate", "chunk": 0, "thread": 1, "start_ms": ..}, ..]}, ..]}
//! ```

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::error::ExportError;
use crate::pipeline::ScenarioInputs;
use crate::pipeline::jobs::job::JobRecord;

/// The `format` field of a job log.
pub const JOB_LOG_FORMAT: &str = "blobscale-jobs";
/// The job log format version this build writes.
pub const JOB_LOG_VERSION: u64 = 1;

/// What ran the jobs, as the caller knows it (the page's status bar facts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildInfo {
    /// `"threaded"`, `"single-threaded"` or `"native"`.
    pub flavour: String,
    /// Threads in the pool that ran the jobs.
    pub threads: usize,
    /// Whether the page was cross-origin isolated (`None` natively).
    pub cross_origin_isolated: Option<bool>,
    /// The browser's user agent (`None` natively).
    pub user_agent: Option<String>,
}

#[derive(Serialize)]
struct JobLog<'a> {
    format: &'static str,
    version: u64,
    blobscale: &'static str,
    build: &'a BuildInfo,
    scenario: &'a ScenarioInputs,
    jobs: &'a [JobRecord],
}

/// Writes the job log as pretty JSON to `out`; returns the bytes written.
pub fn write_job_log_json<W: Write>(
    out: &mut W,
    jobs: &[JobRecord],
    scenario: &ScenarioInputs,
    build: &BuildInfo,
) -> Result<u64, ExportError> {
    let mut counted = CountingWriter {
        inner: out,
        bytes: 0,
    };
    let log = JobLog {
        format: JOB_LOG_FORMAT,
        version: JOB_LOG_VERSION,
        blobscale: env!("CARGO_PKG_VERSION"),
        build,
        scenario,
        jobs,
    };
    serde_json::to_writer_pretty(&mut counted, &log).map_err(|e| ExportError::Io(e.to_string()))?;
    counted.write_all(b"\n")?;
    Ok(counted.bytes)
}

struct CountingWriter<'a, W: Write> {
    inner: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::pipeline::jobs::clock::NoClock;
    use crate::pipeline::{Engine, Plan};

    #[test]
    fn the_log_holds_jobs_with_their_chunk_tasks_and_the_context() {
        let engine = Engine::new(Arc::new(NoClock), 64 << 20);
        let inputs = ScenarioInputs {
            n_samples: 4_000,
            chunk_rows: 500,
            width: 8,
            height: 8,
            ..ScenarioInputs::default()
        };
        engine
            .evaluate_detached(&Plan::new(&inputs).unwrap(), &AtomicBool::new(false))
            .unwrap();
        let build = BuildInfo {
            flavour: "native".into(),
            threads: 3,
            cross_origin_isolated: None,
            user_agent: Some("tab\t\"quoted\"".into()),
        };
        let mut out = Vec::new();
        let n = write_job_log_json(&mut out, &engine.jobs(), &inputs, &build).unwrap();
        assert_eq!(n as usize, out.len());
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["format"], JOB_LOG_FORMAT);
        assert_eq!(v["build"]["threads"], 3);
        assert_eq!(v["build"]["user_agent"], "tab\t\"quoted\"");
        assert_eq!(v["scenario"]["n_samples"], 4_000);
        let jobs = v["jobs"].as_array().unwrap();
        let generate = jobs.iter().find(|j| j["task"] == "generate").unwrap();
        assert_eq!(generate["tasks"].as_array().unwrap().len(), 8);
        assert_eq!(generate["tasks"][0]["kind"], "generate");
        let back: Vec<JobRecord> = serde_json::from_value(v["jobs"].clone()).unwrap();
        assert_eq!(back, engine.jobs());
    }
}
