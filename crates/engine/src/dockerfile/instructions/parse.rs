//! BuildKit's `ParseInstruction`: one node to one typed instruction.

use super::InstructionError;
use super::cmdline::{parse_cmd, parse_entrypoint, parse_shell};
use super::command::{Command, CommandKind, Instruction};
use super::copy::{parse_add, parse_copy};
use super::healthcheck::parse_healthcheck;
use super::kv::{parse_arg, parse_env, parse_label};
use super::onbuild::parse_onbuild;
use super::request::Request;
use super::run::parse_run;
use super::simple::{
    parse_expose, parse_maintainer, parse_stopsignal, parse_user, parse_volume, parse_workdir,
};
use super::stage::parse_from;
use super::suggest;
use crate::dockerfile::{Keyword, Node};

/// Parses `node`, the `index`-th node of its document.
pub(crate) fn parse_node(node: &Node, index: usize) -> Result<Instruction, InstructionError> {
    let req = Request::new(node);
    let kind = match node.kind {
        Keyword::From => return Ok(Instruction::Stage(parse_from(&req, index)?)),
        Keyword::Env => CommandKind::Env(parse_env(&req)?),
        Keyword::Maintainer => CommandKind::Maintainer(parse_maintainer(&req)?),
        Keyword::Label => CommandKind::Label(parse_label(&req)?),
        Keyword::Add => CommandKind::Add(parse_add(&req)?),
        Keyword::Copy => CommandKind::Copy(parse_copy(&req)?),
        Keyword::Onbuild => CommandKind::Onbuild(parse_onbuild(&req)?),
        Keyword::Workdir => CommandKind::Workdir(parse_workdir(&req)?),
        Keyword::Run => CommandKind::Run(parse_run(&req)?),
        Keyword::Cmd => parse_cmd(&req)?,
        Keyword::Healthcheck => CommandKind::Healthcheck(parse_healthcheck(&req)?),
        Keyword::Entrypoint => parse_entrypoint(&req)?,
        Keyword::Expose => CommandKind::Expose(parse_expose(&req)?),
        Keyword::User => CommandKind::User(parse_user(&req)?),
        Keyword::Volume => CommandKind::Volume(parse_volume(&req)?),
        Keyword::Stopsignal => CommandKind::Stopsignal(parse_stopsignal(&req)?),
        Keyword::Arg => CommandKind::Arg(parse_arg(&req)?),
        Keyword::Shell => parse_shell(&req)?,
        Keyword::Unknown => return Err(unknown_instruction(&req)),
    };
    Ok(Instruction::Command(Command {
        node: index,
        start_line: node.start_line,
        end_line: node.end_line,
        kind,
    }))
}

/// `unknown instruction: <KW as written>`, with a suggestion.
fn unknown_instruction(req: &Request<'_>) -> InstructionError {
    let mut names: Vec<&str> = Keyword::ALL.iter().map(|k| k.name()).collect();
    names.sort_unstable();
    let keyword = &req.node.keyword;
    req.error(suggest::wrap(
        format!("unknown instruction: {keyword}"),
        keyword,
        &names,
        false,
    ))
}
