"""Models from Hugging Face config.json files: the shipped configs, hand-written ones and bad input.

Every shipped config is read, its weight-by-weight parameter count is checked against the total
its developer publishes, and its KV cache against a hand computation. Hand-written configs with
the published dimensions of models whose files the kit does not ship (DeepSeek-V2-Lite,
GLM-4.5 and -Air, Falcon-7B and -180B: no complete, unmodified public copy of their files was
found) check the architectures no shipped file uses; a hand-written GPT-J-6B cross-checks the
shipped one.
"""

import json
from dataclasses import replace

import pytest

from tokenomics import catalog, data
from tokenomics.catalog import MODEL_CONFIGS_DIR, config_path, model, model_from_config, model_names
from tokenomics.hf_config import SUPPORTED_ARCHITECTURES

ARCHITECTURE_COLUMNS = [
    "attention",
    "n_layers",
    "hidden_size",
    "n_heads",
    "n_kv_heads",
    "head_dim",
    "n_routed_experts",
    "max_context_tokens",
]
SHIPPED = sorted(path.name for path in MODEL_CONFIGS_DIR.glob("*.json"))
CONFIG_ROWS = [
    name for name in model_names() if data.load("models").set_index("name").loc[name, "config_file"]
]


def models_table():
    return data.load("models").set_index("name")


# --- The shipped files and the table that indexes them --------------------------------------


def test_the_catalog_covers_the_models_people_serve_mostly_from_config_files():
    assert len(model_names()) >= 30
    assert len(SHIPPED) >= 30


def test_every_shipped_file_is_indexed_by_exactly_one_row_with_source_and_licence():
    table = models_table()
    indexed = table[table["config_file"] != ""]
    assert sorted(indexed["config_file"]) == SHIPPED
    for name, row in indexed.iterrows():
        assert row["config_file"] == f"{name}.json"
        assert row["config_repository"].count("/") == 1, name
        assert row["license"].strip(), name
        assert row["source"] == f"https://huggingface.co/{row['config_repository']}/blob/main/config.json"
        assert "read via" in row["notes"], name
        assert row["params_source"].startswith("https://"), name


def test_rows_with_a_config_leave_the_architecture_to_it_and_the_others_type_it():
    table = data.load("models")
    with_file = table[table["config_file"] != ""]
    typed = table[table["config_file"] == ""]
    for column in ARCHITECTURE_COLUMNS:
        assert (with_file[column].isna() | (with_file[column].astype(str) == "")).all(), column
        assert typed[column].notna().all(), column


@pytest.mark.parametrize("file_name", SHIPPED)
def test_every_shipped_config_loads(file_name):
    spec = model_from_config(MODEL_CONFIGS_DIR / file_name)
    assert spec.n_layers > 0 and spec.total_params_b >= spec.active_params_b > 0
    assert spec.kv_bytes_per_token("bf16") > 0
    assert spec.max_context_tokens >= 2048


@pytest.mark.parametrize("name", CONFIG_ROWS)
def test_derived_total_matches_the_published_total_within_two_percent(name):
    # The published totals are the developers' (cards, papers, announcements, names); the
    # derived ones count every weight matrix of the config. Kimi-K2's card rounds to "1T": the
    # table holds 1.04T (Intuition Labs); Llama 4 Scout's 109B includes its vision encoder.
    derived = model_from_config(config_path(name)).total_params_b
    assert derived == pytest.approx(model(name).total_params_b, rel=0.02)


@pytest.mark.parametrize("name", [n for n in CONFIG_ROWS if model(n).is_moe])
def test_derived_active_matches_the_published_active_up_to_the_embedding_table(name):
    # Cards differ on whether "active" counts the input embedding table (Qwen's and Llama 4's
    # do, gpt-oss's does not); the kit never counts it (a lookup, not a matrix product).
    fields = json.loads(config_path(name).read_text(encoding="utf-8"))
    fields = fields.get("text_config", fields)
    embedding_b = fields["vocab_size"] * fields["hidden_size"] / 1e9
    derived = model_from_config(config_path(name)).active_params_b
    published = model(name).active_params_b
    assert derived <= published * 1.01
    assert derived + embedding_b >= published * 0.98


def test_catalog_models_take_architecture_from_the_file_and_totals_from_the_table():
    spec = model("Qwen3-30B-A3B")
    derived = model_from_config(config_path("Qwen3-30B-A3B"))
    assert (spec.n_layers, spec.n_routed_experts, spec.n_active_experts) == (48, 128, 8)
    assert spec.kv_bytes_per_token() == derived.kv_bytes_per_token()
    assert (spec.total_params_b, spec.active_params_b) == (30.5, 3.3)
    assert spec.routed_expert_params_b is None and derived.routed_expert_params_b is not None


# --- KV cache per token against hand computations, one per attention kind -------------------


@pytest.mark.parametrize(
    ("name", "expected_bytes", "kind"),
    [
        ("DeepSeek-R1", (512 + 64) * 61 * 2, "MLA"),  # latent + rotary key, 61 layers, BF16
        ("Kimi-K2", (512 + 64) * 61 * 2, "MLA"),
        ("Llama-3.1-8B", 2 * 8 * 128 * 32 * 2, "GQA"),  # K and V, 8 KV heads x 128, 32 layers
        ("Llama-3.2-1B", 2 * 8 * 64 * 16 * 2, "GQA"),  # head_dim 64 given explicitly
        ("Qwen3-0.6B", 2 * 8 * 128 * 28 * 2, "GQA"),  # head_dim 128, not 1,024 / 16 = 64
        ("Qwen2.5-7B", 2 * 4 * 128 * 28 * 2, "GQA"),
        ("Qwen2.5-72B", 2 * 8 * 128 * 80 * 2, "GQA"),
        ("Qwen2.5-1.5B", 2 * 2 * 128 * 28 * 2, "GQA"),  # 1,536 / 12 heads = 128
        ("Mixtral-8x7B", 2 * 8 * 128 * 32 * 2, "GQA"),
        ("Llama-4-Scout", 2 * 8 * 128 * 48 * 2, "GQA"),  # chunked attention ignored: every layer full
        ("Llama-4-Maverick", 2 * 8 * 128 * 48 * 2, "GQA"),
        ("gpt-oss-20b", 2 * 8 * 64 * 24 * 2, "GQA"),
        ("LLaMA-7B", 2 * 32 * 128 * 32 * 2, "MHA"),  # typed from the paper
        ("Llama-2-7B", 2 * 32 * 128 * 32 * 2, "MHA"),
        ("Llama-2-13B", 2 * 40 * 128 * 40 * 2, "MHA"),
        ("Llama-2-70B", 2 * 8 * 128 * 80 * 2, "GQA"),
        ("GPT-J-6B", 2 * 16 * 256 * 28 * 2, "MHA"),  # 16 heads of 256
    ],
)
def test_kv_bytes_per_token_by_hand(name, expected_bytes, kind):
    assert model(name).kv_bytes_per_token("bf16") == expected_bytes
    assert model(name).attention_kind == kind


def test_sliding_window_layers_of_gpt_oss_20b_hold_at_most_128_tokens():
    spec = model("gpt-oss-20b")
    per_token_layer = 2 * 8 * 64 * 2  # K and V, BF16
    assert (spec.sliding_window_tokens, spec.n_sliding_layers) == (128, 12)
    assert spec.kv_bytes_per_sequence(10_000).item() == per_token_layer * (12 * 10_000 + 12 * 128)


def test_mistral_and_mixtral_null_windows_mean_full_attention():
    for name in ("Mistral-7B", "Mixtral-8x7B", "Qwen2.5-7B", "Qwen2.5-72B"):
        assert model(name).n_sliding_layers == 0, name


def test_sliding_windows_follow_the_switch_and_the_layer_count():
    mistral_v01 = {**LLAMA_8B_BY_HAND, "architectures": ["MistralForCausalLM"], "sliding_window": 4096}
    assert model_from_config(mistral_v01).n_sliding_layers == 32  # every layer slides
    qwen = json.loads(config_path("Qwen2.5-7B").read_text(encoding="utf-8"))
    assert qwen["sliding_window"] == 131072 and model_from_config(qwen).n_sliding_layers == 0
    switched_on = {**qwen, "use_sliding_window": True, "sliding_window": 4096, "max_window_layers": 20}
    assert model_from_config(switched_on).n_sliding_layers == 8  # layers 20-27


def test_llama4_interleaves_moe_layers():
    assert model("Llama-4-Scout").n_moe_layers == 48  # interleave_moe_layer_step 1
    assert model("Llama-4-Maverick").n_moe_layers == 24  # every second layer
    assert model("Llama-4-Maverick").n_shared_experts == 1


# --- Hand-written configs: the dimensions published for models the kit ships no file of ------

LLAMA_8B_BY_HAND = {
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 4096,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "intermediate_size": 14336,
    "vocab_size": 128256,
    "max_position_embeddings": 131072,
}
DEEPSEEK_V2_LITE = {  # DeepSeek-V2 paper and model card: MLA without q_lora_rank, 2 shared experts
    "architectures": ["DeepseekV2ForCausalLM"],
    "hidden_size": 2048,
    "num_hidden_layers": 27,
    "num_attention_heads": 16,
    "kv_lora_rank": 512,
    "q_lora_rank": None,
    "qk_nope_head_dim": 128,
    "qk_rope_head_dim": 64,
    "v_head_dim": 128,
    "n_routed_experts": 64,
    "n_shared_experts": 2,
    "num_experts_per_tok": 6,
    "moe_intermediate_size": 1408,
    "intermediate_size": 10944,
    "first_k_dense_replace": 1,
    "moe_layer_freq": 1,
    "vocab_size": 102400,
    "max_position_embeddings": 163840,
}
GLM_45_AIR = {  # GQA with an explicit head_dim (96 x 128 > 4,096), partial rotary, 1 dense layer
    "architectures": ["Glm4MoeForCausalLM"],
    "hidden_size": 4096,
    "num_hidden_layers": 46,
    "num_attention_heads": 96,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "partial_rotary_factor": 0.5,
    "attention_bias": True,
    "intermediate_size": 10944,
    "moe_intermediate_size": 1408,
    "n_routed_experts": 128,
    "n_shared_experts": 1,
    "num_experts_per_tok": 8,
    "first_k_dense_replace": 1,
    "num_nextn_predict_layers": 1,
    "vocab_size": 151552,
    "max_position_embeddings": 131072,
}
GLM_45 = {
    **GLM_45_AIR,
    "hidden_size": 5120,
    "num_hidden_layers": 92,
    "intermediate_size": 12288,
    "moe_intermediate_size": 1536,
    "n_routed_experts": 160,
    "first_k_dense_replace": 3,
}
GPT_J_6B = {  # parallel attention and MLP, rotary on 64 dims, untied head with a bias
    "architectures": ["GPTJForCausalLM"],
    "n_embd": 4096,
    "n_layer": 28,
    "n_head": 16,
    "n_inner": None,
    "rotary_dim": 64,
    "n_positions": 2048,
    "vocab_size": 50400,
}
FALCON_7B = {  # multi-query attention: one KV head
    "architectures": ["FalconForCausalLM"],
    "hidden_size": 4544,
    "num_hidden_layers": 32,
    "num_attention_heads": 71,
    "multi_query": True,
    "parallel_attn": True,
    "bias": False,
    "vocab_size": 65024,
}
FALCON_180B = {  # the new decoder architecture: 8 KV heads for 232 query heads
    "architectures": ["FalconForCausalLM"],
    "hidden_size": 14848,
    "num_hidden_layers": 80,
    "num_attention_heads": 232,
    "num_kv_heads": 8,
    "new_decoder_architecture": True,
    "parallel_attn": True,
    "bias": False,
    "vocab_size": 65024,
    "max_position_embeddings": 2048,
}


def test_a_hand_written_config_gives_the_shipped_models_numbers():
    mine = model_from_config(LLAMA_8B_BY_HAND, name="my-8b")
    shipped = model_from_config(config_path("Llama-3.1-8B"))
    assert mine.name == "my-8b" and mine.quality == "derived"
    assert mine.kv_bytes_per_token() == shipped.kv_bytes_per_token() == 131_072
    assert mine.total_params_b == pytest.approx(shipped.total_params_b)
    # 2 x (embedding + 32 x (attention + MLP) + head) by hand, norms aside:
    by_hand = 128256 * 4096 * 2 + 32 * (4096 * (4096 + 2 * 1024) + 4096 * 4096 + 3 * 4096 * 14336)
    assert mine.total_params_b * 1e9 == pytest.approx(by_hand, rel=1e-4)


@pytest.mark.parametrize(
    ("config", "published_total_b", "kv_bytes", "kind"),
    [
        (DEEPSEEK_V2_LITE, 15.7, (512 + 64) * 27 * 2, "MLA"),  # card: 15.7B (promptlayer copy)
        (GLM_45_AIR, 106, 2 * 8 * 128 * 46 * 2, "GQA"),  # GLM-4.5 report: 106B / 12B
        (GLM_45, 355, 2 * 8 * 128 * 92 * 2, "GQA"),  # 355B / 32B
        (GPT_J_6B, 6.053381344, 2 * 16 * 256 * 28 * 2, "MHA"),  # card: 6,053,381,344
        (FALCON_7B, 7, 2 * 1 * 64 * 32 * 2, "MQA"),
        (FALCON_180B, 180, 2 * 8 * 64 * 80 * 2, "GQA"),
    ],
)
def test_hand_written_configs_of_other_architectures(config, published_total_b, kv_bytes, kind):
    spec = model_from_config(config)
    assert spec.total_params_b == pytest.approx(published_total_b, rel=0.02)
    assert spec.kv_bytes_per_token("bf16") == kv_bytes
    assert spec.attention_kind == kind


def test_deepseek_layouts_count_dense_layers_and_shared_experts():
    lite = model_from_config(DEEPSEEK_V2_LITE)
    assert (lite.n_dense_layers, lite.n_moe_layers, lite.n_shared_experts) == (1, 26, 2)
    every_other = model_from_config({**DEEPSEEK_V2_LITE, "moe_layer_freq": 2})
    assert every_other.n_moe_layers == 13  # layers 2, 4, ..., 26
    glm = model_from_config(GLM_45)
    assert (glm.n_dense_layers, glm.n_moe_layers) == (3, 89)


def test_falcon_without_a_context_field_uses_its_library_default():
    assert model_from_config(FALCON_7B).max_context_tokens == 2048


def test_a_shipped_file_and_its_parsed_mapping_agree(tmp_path):
    parsed = json.loads(config_path("Qwen3-8B").read_text(encoding="utf-8"))
    copy = tmp_path / "config.json"
    copy.write_text(json.dumps(parsed), encoding="utf-8")
    from_file = model_from_config(copy, name="x")
    assert from_file.source == str(copy)
    assert model_from_config(parsed, name="x") == replace(from_file, source="config")


# --- Bad input: clear errors naming the architecture, the field or the position --------------


def test_unknown_architecture_lists_the_supported_ones():
    with pytest.raises(ValueError) as error:
        model_from_config({"architectures": ["BertForMaskedLM"], "hidden_size": 768})
    message = str(error.value)
    assert "'BertForMaskedLM' is not supported" in message
    assert all(name in message for name in SUPPORTED_ARCHITECTURES)


def test_a_config_without_architectures_says_so():
    with pytest.raises(
        ValueError, match="no 'architectures' list.*supported architectures: LlamaForCausalLM"
    ):
        model_from_config({"hidden_size": 4096})


@pytest.mark.parametrize("missing", ["num_hidden_layers", "vocab_size", "intermediate_size"])
def test_a_missing_field_is_named(missing):
    config = {key: value for key, value in LLAMA_8B_BY_HAND.items() if key != missing}
    with pytest.raises(ValueError, match=f"LlamaForCausalLM config lacks the field '{missing}'"):
        model_from_config(config)


def test_a_missing_mla_field_is_named():
    config = {key: value for key, value in DEEPSEEK_V2_LITE.items() if key != "kv_lora_rank"}
    with pytest.raises(ValueError, match="DeepseekV2ForCausalLM config lacks the field 'kv_lora_rank'"):
        model_from_config(config)


def test_heads_that_do_not_divide_the_hidden_size_are_an_error():
    with pytest.raises(ValueError, match=r"num_attention_heads \(30\) does not divide hidden_size \(4096\)"):
        model_from_config({**LLAMA_8B_BY_HAND, "num_attention_heads": 30, "num_key_value_heads": 10})


def test_kv_heads_that_do_not_divide_the_heads_are_an_error():
    with pytest.raises(
        ValueError, match=r"num_key_value_heads \(6\) does not divide num_attention_heads \(32\)"
    ):
        model_from_config({**LLAMA_8B_BY_HAND, "num_key_value_heads": 6})


def test_a_field_of_the_wrong_kind_is_an_error():
    with pytest.raises(
        ValueError, match="num_hidden_layers of the LlamaForCausalLM config must be a positive integer"
    ):
        model_from_config({**LLAMA_8B_BY_HAND, "num_hidden_layers": "32"})


def test_layer_types_that_contradict_the_layer_count_are_an_error():
    config = json.loads(config_path("gpt-oss-20b").read_text(encoding="utf-8"))
    config["layer_types"] = config["layer_types"][:-1]
    with pytest.raises(ValueError, match="layer_types lists 23 layers but num_hidden_layers is 24"):
        model_from_config(config)


def test_malformed_json_names_the_file_line_and_column(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(
        '{\n  "architectures": ["LlamaForCausalLM"],\n  "hidden_size": 4096,,\n}\n', encoding="utf-8"
    )
    with pytest.raises(ValueError) as error:
        model_from_config(path)
    message = str(error.value)
    assert str(path) in message and "line 3, column 23" in message


def test_json_that_is_not_an_object_and_missing_files_are_errors(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="holds one JSON object, got list"):
        model_from_config(path)
    with pytest.raises(FileNotFoundError, match="no config file at"):
        model_from_config(tmp_path / "absent.json")
    with pytest.raises(ValueError, match="config must be a mapping or the path"):
        model_from_config(42)


def test_a_catalog_model_typed_from_a_paper_has_no_config_path():
    with pytest.raises(ValueError, match="'LLaMA-7B' has no shipped config.json"):
        config_path("LLaMA-7B")
    with pytest.raises(KeyError, match="close matches"):
        config_path("Qwen3-9B")
    assert catalog.config_path("DeepSeek-V3.1") == MODEL_CONFIGS_DIR / "DeepSeek-R1.json"
