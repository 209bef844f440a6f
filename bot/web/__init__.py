"""The ASGI web app: health check, the Telegram webhook and the WeChat/WeCom callbacks."""
