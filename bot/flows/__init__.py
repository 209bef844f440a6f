"""Channel-agnostic conversations: inbound messages in, prompts out."""
