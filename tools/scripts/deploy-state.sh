#!/bin/sh
# The runtime input of the deploy steps as Nx runs it: `DEPLOY_STATE_OWNER=$PPID sh
# deploy-state.sh <kind> [app]`. It asks the workspace's resident state server without starting
# Node, and runs deploy-state.ts when no server answers.
scripts=$(dirname "$0")
. "$scripts/lib/state-client.sh"
ask_state_server "/state/$1/$2" && exit 0
run_node deploy-state.ts "$@"
