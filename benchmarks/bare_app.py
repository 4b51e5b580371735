"""The framework's ceiling: a bare FastAPI endpoint returning a constant JSON."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def constant() -> dict[str, str]:
    return {"status": "ok"}
