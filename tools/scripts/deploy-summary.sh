#!/bin/sh
# The `deploy` target's command, the last step of every deploy: the run's summary from the
# workspace's state server without starting Node, else from deploy-summary.ts. First the line
# of the Nx plugin that turned the remote cache off, when the Nx daemon kept it from being seen.
[ -n "${TODO_CHATBOT_REMOTE_CACHE_NOTICE:-}" ] && echo "$TODO_CHATBOT_REMOTE_CACHE_NOTICE"
scripts=$(dirname "$0")
. "$scripts/lib/state-client.sh"
ask_state_server /summary && exit 0
run_node deploy-summary.ts
