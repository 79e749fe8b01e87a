module todo-chatbot.local/test/cluster/pause

go 1.24.0
