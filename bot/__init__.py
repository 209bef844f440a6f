"""guanai (关爱): a chat-bot for a rural school's care programme for left-behind children."""

__version__ = "0.1.0"
