# Sourced by the shell clients of the workspace's state server (deploy-state.sh and
# deploy-summary.sh, run by Nx from the workspace root). `ask_state_server <path>` sends this
# environment for the server to check against its own and prints the answer; it fails when no
# server of this user answers (none yet, it refuses another environment, edited code or CI,
# or curl is missing), and the client then runs its Node script instead.
state_socket=node_modules/.cache/todo-chatbot/deploy-state.sock
ask_state_server() {
  [ -S "$state_socket" ] && [ -O "$state_socket" ] &&
    env | curl -q --silent --fail --noproxy '*' --max-time 30 --unix-socket "$state_socket" \
      --data-binary @- "http://deploy-state$1" 2>/dev/null
}
