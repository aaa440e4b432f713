//! A tiny, randomly initialised BERT model in the sentence-transformers layout, written by the
//! tests and benches of the `semantic` feature so that they need no real model: config.json
//! (32 dimensions, 2 layers), model.safetensors (random weights under the names BERT
//! checkpoints use) and tokenizer.json (BERT normalisation and pre-tokenisation, a WordPiece
//! model whose vocabulary is the words of the given reports).

use std::collections::BTreeSet;
use std::path::Path;

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use candle_transformers::models::bert::{BertModel, Config};
use ofsted_search::ingest::ParsedReport;
use serde_json::json;

/// The model's dimensions.
pub const HIDDEN: usize = 32;

/// Writes a tiny random BERT model into `dir`, with the corpus words as its vocabulary.
pub fn tiny_model(dir: &Path, reports: &[ParsedReport]) {
    std::fs::create_dir_all(dir).unwrap();
    let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];
    let mut words = BTreeSet::new();
    for r in reports {
        for p in &r.paragraphs {
            for w in p.text.split(|c: char| !c.is_alphanumeric()) {
                if !w.is_empty() && words.len() < 3000 {
                    words.insert(w.to_lowercase());
                }
            }
        }
    }
    let mut vocab = serde_json::Map::new();
    for (i, t) in specials
        .iter()
        .map(|s| s.to_string())
        .chain(words)
        .enumerate()
    {
        vocab.insert(t, json!(i));
    }
    let added: Vec<_> = specials
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({"id": i, "content": s, "single_word": false, "lstrip": false,
                   "rstrip": false, "normalized": false, "special": true})
        })
        .collect();
    let tokenizer = json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": true,
                       "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
            }
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab}
    });
    let config = json!({
        "vocab_size": vocab_len(&tokenizer),
        "hidden_size": HIDDEN,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "max_position_embeddings": 64,
        "type_vocab_size": 2,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "model_type": "bert"
    });
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    // Random weights under the names BERT checkpoints use (`embeddings.*`, `encoder.layer.N.*`).
    let config: Config = serde_json::from_value(config).unwrap();
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    BertModel::load(vb, &config).unwrap();
    varmap.save(dir.join("model.safetensors")).unwrap();
}

fn vocab_len(tokenizer: &serde_json::Value) -> usize {
    tokenizer["model"]["vocab"].as_object().unwrap().len()
}
