"""Channels: turn platform updates into inbound messages and render prompts."""
