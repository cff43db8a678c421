//! What a `HEALTHCHECK` needs from the runtime image: a shell (Docker
//! runs the shell form with `/bin/sh -c`), and the programs it calls.
//!
//! A runtime image without a shell (distroless, `scratch`) cannot run a
//! shell-form check, nor `curl`/`wget`, which it does not have: such a
//! check would mark the container unhealthy forever. Strategies use
//! [`HealthNeeds`] to pick a runtime image that can run the check, or to
//! leave the check out with a change-log entry and a warning
//! ([`HealthNeeds::drop_note`], [`HealthNeeds::drop_warning`]).

use super::context::ConvertContext;
use super::plan::ChangeSpec;
use super::types::ChangeKind;
use crate::dockerfile::Keyword;
use crate::dockerfile::instructions::{CommandKind, HealthTest};
use crate::model::shell::{Script, ScriptKind};

/// HTTP and network clients a check commonly runs, which a package
/// install can add to an image with a shell.
pub const CLIENTS: &[&str] = &["curl", "wget"];

/// Shell builtins and keywords: not programs the image must have.
const BUILTINS: &[&str] = &[
    "exit", "true", "false", "test", "[", "echo", "printf", ":", "cd", "set", "export", "exec",
    "return", "if", "then", "else", "fi",
];

/// What the effective (last) `HEALTHCHECK` of the stage needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthNeeds {
    /// The `HEALTHCHECK` line.
    pub line: usize,
    /// Its node.
    pub node: usize,
    /// Whether it is in shell form (`CMD-SHELL`: runs `/bin/sh -c`).
    pub shell: bool,
    /// [`CLIENTS`] it runs.
    pub clients: Vec<String>,
    /// Other programs it runs that are not the application's.
    pub others: Vec<String>,
}

impl HealthNeeds {
    /// What the last `HEALTHCHECK` of the stage needs besides the
    /// application (`is_app` tells the application's own programs), or
    /// `None` when there is none, it is `NONE`, or it only runs the
    /// application in exec form.
    pub fn of(cx: &ConvertContext<'_>, is_app: &dyn Fn(&str) -> bool) -> Option<Self> {
        let i = cx.last(Keyword::Healthcheck)?;
        let Some(CommandKind::Healthcheck(h)) = i.kind() else {
            return None;
        };
        let (script, shell) = match &h.test {
            HealthTest::None => return None,
            HealthTest::Cmd(words) => (Script::exec(words), false),
            HealthTest::CmdShell(text) => (Script::parse(text, ScriptKind::Shell), true),
        };
        let mut clients: Vec<String> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        for c in &script.commands {
            let name = c.base_name();
            if BUILTINS.contains(&name) || name.is_empty() || is_app(&c.name) {
                continue;
            }
            let list = if CLIENTS.contains(&name) {
                &mut clients
            } else {
                &mut others
            };
            if !list.iter().any(|p| p == name) {
                list.push(name.to_string());
            }
        }
        let needs = Self {
            line: i.start_line,
            node: i.node,
            shell,
            clients,
            others,
        };
        (needs.shell || !needs.clients.is_empty() || !needs.others.is_empty()).then_some(needs)
    }

    /// Whether an image with a shell and installable clients can run it
    /// (it runs nothing but the application, the shell and [`CLIENTS`]).
    pub fn runs_with_a_shell(&self) -> bool {
        self.others.is_empty()
    }

    /// What it needs, for a person: "runs `wget` through a shell".
    pub fn describe(&self) -> String {
        let programs: Vec<String> = self
            .clients
            .iter()
            .chain(&self.others)
            .map(|p| format!("`{p}`"))
            .collect();
        match (programs.is_empty(), self.shell) {
            (true, _) => "is a shell command (`/bin/sh -c`)".to_string(),
            (false, true) => format!("runs {} through a shell", programs.join(" and ")),
            (false, false) => format!("runs {}", programs.join(" and ")),
        }
    }

    /// The change-log entry for leaving the check out of a runtime image
    /// without a shell (`image`).
    pub fn drop_note(&self, image: &str) -> ChangeSpec {
        ChangeSpec::new(
            ChangeKind::Drop,
            "The HEALTHCHECK is left out of the runtime stage",
            format!(
                "it {}, and `{image}` has no shell and no such program: Docker would report the container unhealthy forever",
                self.describe()
            ),
            vec![self.line],
        )
    }

    /// The warning for leaving the check out, with the fixes: an
    /// exec-form check the application answers itself, an orchestrator
    /// probe, or a runtime image with a shell.
    pub fn drop_warning(&self, image: &str, app: Option<&str>) -> String {
        let exec = app.map_or_else(
            || "`HEALTHCHECK CMD [\"/path/to/app\", \"healthcheck\"]`".to_string(),
            |a| format!("`HEALTHCHECK CMD [\"{a}\", \"healthcheck\"]`"),
        );
        format!(
            "line {}: the HEALTHCHECK {}, which `{image}` cannot run, so it was left out and the container reports no health status. Give the program a health-check mode and add it in exec form ({exec}), use the orchestrator's probe (a Kubernetes liveness/readiness probe on the same URL), or convert with --runtime slim or alpine to keep the check as it is",
            self.line,
            self.describe()
        )
    }
}
