//! [`Embedder`]: a BERT sentence-embedding model loaded from a local directory, run
//! in-process with candle (pure Rust, CPU).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::fnv64;
use crate::error::{Error, Result};

/// The files a model directory must hold (the sentence-transformers layout).
pub const MODEL_FILES: [&str; 3] = ["config.json", "model.safetensors", "tokenizer.json"];

/// How many texts go through the model at once: long enough to keep the matrix products
/// busy, short enough that padding to the longest text of a batch wastes little (texts are
/// sorted by length first).
const BATCH: usize = 16;

/// The token limit when the directory has no `sentence_bert_config.json`: sentence-transformers'
/// default for all-MiniLM-L6-v2.
const DEFAULT_MAX_TOKENS: usize = 256;

/// A sentence-embedding model: a BERT encoder whose token vectors are mean-pooled (over the
/// real tokens, not the padding) and L2-normalised, as all-MiniLM-L6-v2 is used.
///
/// It is loaded from a local directory in the sentence-transformers layout: `config.json`
/// (the BERT configuration), `model.safetensors` (the weights) and `tokenizer.json` (a
/// Hugging Face tokenizer), plus, optionally, `sentence_bert_config.json` for the token limit
/// (`max_seq_length`; 256 when absent). Nothing is ever downloaded: get the files yourself
/// (README.md says how, for all-MiniLM-L6-v2, with checksums).
///
/// Cloning is cheap: clones share the model.
///
/// ```no_run
/// use ofsted_search::semantic::Embedder;
/// let embedder = Embedder::from_dir("models/all-MiniLM-L6-v2")?;
/// let v = embedder.embed(&["Children are seen alone by their social workers."])?;
/// assert_eq!(v[0].len(), embedder.dimensions());
/// # Ok::<(), ofsted_search::Error>(())
/// ```
#[derive(Clone)]
pub struct Embedder {
    inner: Arc<Inner>,
}

struct Inner {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    dimensions: usize,
    max_tokens: usize,
    fingerprint: u64,
    dir: PathBuf,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.inner.dir)
            .field("dimensions", &self.inner.dimensions)
            .field("max_tokens", &self.inner.max_tokens)
            .finish_non_exhaustive()
    }
}

fn model_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Semantic {
        path: Some(path.to_path_buf()),
        message: message.to_string(),
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        action: "cannot read the embedding model file",
        source,
    })
}

impl Embedder {
    /// Loads the model in `dir` (see [`Embedder`] for the files it needs).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming the file that cannot be read; [`Error::Semantic`] naming the file
    /// whose content is not a valid configuration, tokenizer or set of BERT weights.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Embedder> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(model_error(
                dir,
                format!(
                    "not a model directory; it must hold {}",
                    MODEL_FILES.join(", ")
                ),
            ));
        }
        let config_path = dir.join(MODEL_FILES[0]);
        let weights_path = dir.join(MODEL_FILES[1]);
        let tokenizer_path = dir.join(MODEL_FILES[2]);
        let config_bytes = read(&config_path)?;
        let config: Config = serde_json::from_slice(&config_bytes)
            .map_err(|e| model_error(&config_path, format!("not a BERT configuration: {e}")))?;
        if config.hidden_size == 0 || config.num_attention_heads == 0 {
            return Err(model_error(
                &config_path,
                "hidden_size and num_attention_heads must be positive",
            ));
        }
        if !config
            .hidden_size
            .is_multiple_of(config.num_attention_heads)
        {
            return Err(model_error(
                &config_path,
                "hidden_size must be a multiple of num_attention_heads",
            ));
        }
        let tokenizer_bytes = read(&tokenizer_path)?;
        let mut tokenizer = Tokenizer::from_bytes(&tokenizer_bytes)
            .map_err(|e| model_error(&tokenizer_path, format!("not a tokenizer: {e}")))?;
        let max_tokens = max_tokens(dir)?.min(config.max_position_embeddings);
        if max_tokens < 2 {
            return Err(model_error(
                &config_path,
                "max_position_embeddings must be at least 2",
            ));
        }
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| model_error(&tokenizer_path, e))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id: u32::try_from(config.pad_token_id).unwrap_or(0),
            ..PaddingParams::default()
        }));
        let weights = read(&weights_path)?;
        let mut fingerprint = fnv64(&config_bytes, 0);
        fingerprint = fnv64(&tokenizer_bytes, fingerprint);
        fingerprint = fnv64(&weights, fingerprint);
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| model_error(&weights_path, format!("not a safetensors file: {e}")))?;
        let model = BertModel::load(vb, &config).map_err(|e| {
            model_error(
                &weights_path,
                format!("the weights do not fit config.json's BERT model: {e}"),
            )
        })?;
        Ok(Embedder {
            inner: Arc::new(Inner {
                model,
                tokenizer,
                device,
                dimensions: config.hidden_size,
                max_tokens,
                fingerprint,
                dir: dir.to_path_buf(),
            }),
        })
    }

    /// The length of every vector this model returns.
    pub fn dimensions(&self) -> usize {
        self.inner.dimensions
    }

    /// The most tokens of a text the model reads; the rest is cut off.
    pub fn max_tokens(&self) -> usize {
        self.inner.max_tokens
    }

    /// The model directory.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// A hash of the model's files, recorded with stored vectors so that vectors made by
    /// another model are never compared with this one's.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.inner.fingerprint
    }

    /// The unit-length embedding of each text, in order. An empty text gets the embedding of
    /// the special tokens alone.
    ///
    /// # Errors
    ///
    /// [`Error::Semantic`] naming the model directory when tokenising or running the model
    /// fails (e.g. a token id beyond the model's vocabulary).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        // Similar lengths together: less padding per batch.
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            let vectors = self.embed_batch(&batch)?;
            for (&i, v) in chunk.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let inner = &*self.inner;
        let fail =
            |e: &dyn std::fmt::Display| model_error(&inner.dir, format!("embedding failed: {e}"));
        let encodings = inner
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| fail(&e))?;
        let rows = encodings.len();
        let cols = encodings.first().map_or(0, |e| e.get_ids().len());
        if rows == 0 || cols == 0 {
            return Ok(vec![vec![0.0; inner.dimensions]; rows]);
        }
        let mut ids = Vec::with_capacity(rows * cols);
        let mut mask = Vec::with_capacity(rows * cols);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let run = || -> candle_core::Result<Vec<Vec<f32>>> {
            let ids = Tensor::from_vec(ids, (rows, cols), &inner.device)?;
            let mask = Tensor::from_vec(mask, (rows, cols), &inner.device)?;
            let types = ids.zeros_like()?;
            let hidden = inner.model.forward(&ids, &types, Some(&mask))?;
            // Mean over the real tokens.
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
            let mean = summed.broadcast_div(&counts)?;
            let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
            mean.broadcast_div(&norm)?.to_vec2::<f32>()
        };
        run().map_err(|e| fail(&e))
    }
}

/// `max_seq_length` from `sentence_bert_config.json`, when the directory has one.
fn max_tokens(dir: &Path) -> Result<usize> {
    let path = dir.join("sentence_bert_config.json");
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DEFAULT_MAX_TOKENS),
        Err(source) => {
            return Err(Error::Io {
                path,
                action: "cannot read the embedding model file",
                source,
            })
        }
    };
    #[derive(serde::Deserialize)]
    struct SentenceBert {
        max_seq_length: usize,
    }
    let config: SentenceBert = serde_json::from_slice(&bytes)
        .map_err(|e| model_error(&path, format!("no valid max_seq_length: {e}")))?;
    Ok(config.max_seq_length)
}
