# Sourced by the shell clients of the workspace's state server (deploy-state.sh and
# deploy-summary.sh, run by Nx from the workspace root). `ask_state_server <path>` sends this
# environment for the server to check against its own and prints the answer; it fails when no
# server of this user answers (none yet, it refuses another environment, edited code or CI,
# or curl is missing), and the client then runs its Node script with `run_node`. Both need
# `scripts`, the folder of the client scripts.
state_socket=node_modules/.cache/todo-chatbot/deploy-state.sock
ask_state_server() {
  [ -S "$state_socket" ] && [ -O "$state_socket" ] &&
    env | curl -q --silent --fail --noproxy '*' --max-time 30 --unix-socket "$state_socket" \
      --data-binary @- "http://deploy-state$1" 2>/dev/null
}

# Runs tools/scripts/<script> in place of the shell client, with the workspace's compile cache.
run_node() {
  script=$1
  shift
  NODE_COMPILE_CACHE="$scripts/../../node_modules/.cache/todo-chatbot/node-compile-cache" \
    exec node "$scripts/$script" "$@"
}
