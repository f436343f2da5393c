"""
The headline promise, proved with the official Python SDK: an app keeps `openai`, changes
base_url and api_key, and reaches every provider behind the gateway. Each case runs once per
alias (one per wire protocol: OpenAI, Anthropic, Gemini, Bedrock), and what comes back is
judged by OpenAI's own OpenAPI schemas, not by ours.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from openai import OpenAI
from pydantic import BaseModel

from conftest import GatewayWorld, Validate

ALIASES = ["gpt", "claude", "gem", "bed"]
EMBEDDING_ALIASES = ["gpt", "gem"]

WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def wire(model: BaseModel) -> dict[str, Any]:
    """The SDK object as it arrived on the wire (only the fields the gateway actually sent)."""
    return model.model_dump(mode="json", exclude_unset=True)


def test_world_serves_the_four_aliases(world: GatewayWorld) -> None:
    # The parametrisation below is only meaningful if the world really has these aliases.
    assert sorted(world.aliases) == sorted(ALIASES)


@pytest.mark.parametrize("alias", ALIASES)
def test_chat_completion(client: OpenAI, world: GatewayWorld, validate_openai: Validate, alias: str) -> None:
    raw = client.chat.completions.with_raw_response.create(model=alias, messages=[{"role": "user", "content": "Hello there"}])
    assert validate_openai("CreateChatCompletionResponse", raw.http_response.json()) == []
    completion = raw.parse()
    assert completion.choices[0].message.content == "Echo: Hello there"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.prompt_tokens > 0
    assert raw.headers["x-portcullis-provider"] == world.targets[alias]["provider"]
    assert raw.headers["x-portcullis-model"] == world.targets[alias]["model"]
    assert raw.headers["x-request-id"].startswith("req_")


@pytest.mark.parametrize("alias", ALIASES)
def test_stream_with_usage_sends_one_usage_chunk_last(client: OpenAI, validate_openai: Validate, alias: str) -> None:
    stream = client.chat.completions.create(
        model=alias,
        messages=[{"role": "user", "content": "Stream this please mock:chunks:5"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    for chunk in chunks:
        assert validate_openai("CreateChatCompletionStreamResponse", wire(chunk)) == []
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: Stream this please mock:chunks:5"
    with_usage = [c for c in chunks if c.usage is not None]
    assert len(with_usage) == 1
    last = chunks[-1]
    assert last is with_usage[0]
    assert last.choices == []
    assert last.usage is not None and last.usage.completion_tokens > 0
    assert any(c.choices and c.choices[0].finish_reason == "stop" for c in chunks)


@pytest.mark.parametrize("alias", ALIASES)
def test_stream_without_usage_request_has_no_usage_chunk(client: OpenAI, alias: str) -> None:
    chunks = list(client.chat.completions.create(model=alias, messages=[{"role": "user", "content": "hi"}], stream=True))
    assert chunks
    assert all(c.usage is None and len(c.choices) == 1 for c in chunks)


@pytest.mark.parametrize("alias", ALIASES)
def test_tool_round_trip(client: OpenAI, validate_openai: Validate, alias: str) -> None:
    question = {"role": "user", "content": "What is the weather in Paris?"}
    raw = client.chat.completions.with_raw_response.create(model=alias, messages=[question], tools=[WEATHER_TOOL])
    assert validate_openai("CreateChatCompletionResponse", raw.http_response.json()) == []
    first = raw.parse()
    assert first.choices[0].finish_reason == "tool_calls"
    calls = first.choices[0].message.tool_calls
    assert calls is not None and len(calls) == 1
    call = calls[0]
    assert call.type == "function"
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Paris"}

    second = client.chat.completions.create(
        model=alias,
        messages=[
            question,
            wire(first.choices[0].message),  # the assistant turn goes back exactly as received
            {"role": "tool", "tool_call_id": call.id, "content": '{"temp_c":21}'},
        ],
        tools=[WEATHER_TOOL],
    )
    content = second.choices[0].message.content or ""
    assert "Tool result received" in content
    assert "21" in content
    assert second.choices[0].finish_reason == "stop"


@pytest.mark.parametrize("alias", ALIASES)
def test_streamed_tool_calls_are_reassembled_by_the_sdk(client: OpenAI, alias: str) -> None:
    argument_deltas: list[str] = []
    with client.chat.completions.stream(
        model=alias, messages=[{"role": "user", "content": "Weather in Paris?"}], tools=[WEATHER_TOOL]
    ) as stream:
        for event in stream:
            if event.type == "tool_calls.function.arguments.delta":
                argument_deltas.append(event.arguments_delta)
        final = stream.get_final_completion()
    calls = final.choices[0].message.tool_calls
    assert calls is not None and len(calls) == 1
    assert calls[0].function.name == "get_weather"
    assert json.loads(calls[0].function.arguments) == {"city": "Paris"}
    # The arguments really arrived as deltas and the SDK joined them.
    assert "".join(argument_deltas) == calls[0].function.arguments
    assert final.choices[0].finish_reason == "tool_calls"


class Place(BaseModel):
    city: str


@pytest.mark.parametrize("alias", ALIASES)
def test_structured_output_with_json_schema(client: OpenAI, alias: str) -> None:
    # parse() sends response_format json_schema (strict) built from the pydantic model and
    # validates the answer back into it: a wrong shape would raise here.
    completion = client.chat.completions.parse(
        model=alias, messages=[{"role": "user", "content": "Where do I live? I live in Paris."}], response_format=Place
    )
    message = completion.choices[0].message
    assert message.parsed == Place(city="Paris")
    assert json.loads(message.content or "null") == {"city": "Paris"}


@pytest.mark.parametrize("alias", ALIASES)
def test_upstream_429_is_a_rate_limit_error_with_retry_after(client: OpenAI, validate_openai: Validate, alias: str) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model=alias, messages=[{"role": "user", "content": "mock:error:429"}])
    err = caught.value
    assert err.status_code == 429
    assert err.response.headers.get("retry-after") == "2"
    assert validate_openai("ErrorResponse", err.response.json()) == []


@pytest.mark.parametrize("alias", EMBEDDING_ALIASES)
def test_embeddings_as_floats_and_base64(client: OpenAI, validate_openai: Validate, alias: str) -> None:
    raw = client.embeddings.with_raw_response.create(model=alias, input=["alpha", "beta"], encoding_format="float")
    assert validate_openai("CreateEmbeddingResponse", raw.http_response.json()) == []
    floats = raw.parse()
    assert [d.index for d in floats.data] == [0, 1]
    assert len(floats.data[0].embedding) > 0
    # Without encoding_format the SDK asks for base64 and decodes it itself.
    decoded = client.embeddings.create(model=alias, input=["alpha", "beta"])
    assert len(decoded.data) == 2
    assert decoded.data[0].embedding == pytest.approx(floats.data[0].embedding, abs=1e-5)


def test_embeddings_through_a_provider_without_them_is_a_bad_request(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.embeddings.create(model="claude", input="x")
    assert caught.value.status_code == 400


def test_models_list(client: OpenAI, validate_openai: Validate) -> None:
    raw = client.models.with_raw_response.list()
    assert validate_openai("ListModelsResponse", raw.http_response.json()) == []
    ids = [m.id for m in raw.parse()]
    for expected in [*ALIASES, "openai:*", "anthropic:*", "gemini:*", "bedrock:*"]:
        assert expected in ids
    assert client.models.retrieve("gpt").id == "gpt"


def test_bad_key_is_an_authentication_error(world: GatewayWorld, validate_openai: Validate) -> None:
    stranger = OpenAI(base_url=world.base_url, api_key="pc_live_WrongWrongWrongWrongWrongWrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as caught:
        stranger.chat.completions.create(model="gpt", messages=[{"role": "user", "content": "x"}])
    err = caught.value
    assert err.status_code == 401
    assert err.code == "invalid_api_key"
    assert validate_openai("ErrorResponse", err.response.json()) == []
    assert "pc_live_Wrong" not in err.response.text  # the key is never echoed back


def test_unknown_model_is_not_found(client: OpenAI, validate_openai: Validate) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="no-such-alias", messages=[{"role": "user", "content": "x"}])
    err = caught.value
    assert err.status_code == 404
    assert err.code == "model_not_found"
    assert err.param == "model"
    assert validate_openai("ErrorResponse", err.response.json()) == []
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("no-such-alias")


def test_schema_validator_rejects_a_wrong_shape(validate_openai: Validate) -> None:
    # Guards the guard: a validator that accepts anything would make every check above vacuous.
    assert validate_openai("CreateChatCompletionResponse", {"id": 1, "choices": "nope"}) != []
    assert validate_openai("ErrorResponse", {"error": {"message": "m", "type": "t", "param": None, "code": None}}) == []
