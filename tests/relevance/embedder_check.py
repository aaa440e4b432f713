#!/usr/bin/env python3
"""Checks the crate's embedder (feature `semantic`) against an independent implementation.

The reference here shares no code with the crate: a WordPiece tokenizer written out below
(BERT's basic tokenizer: clean, lowercase, strip accents, split on whitespace and punctuation;
then greedy longest-match word pieces over the vocabulary in tokenizer.json), and a BERT
forward pass in numpy over the same model.safetensors, mean-pooled over the tokens and
L2-normalised, as sentence-transformers runs all-MiniLM-L6-v2 (max_seq_length 256). The
crate's vectors come from `hybrid_eval --embed`, which batches the sentences (sorted by
length, padded to the longest of a batch), so the attention mask matters in both the attention
and the pooling; the reference runs each sentence alone, unpadded.

It prints, per sentence, the number of word pieces, whether the two tokenizers agree, and the
cosine between the crate's vector and the reference's; it fails (exit 1) if any cosine is
below 0.999 or any token sequence differs. It also shows that truncation is where it should
be (a long paragraph embedded untruncated is clearly different) and that case does not
matter (the model is uncased). With `tokenizers` installed, it also compares the token ids of
every line of the bundled corpus.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy safetensors tokenizers
    /tmp/venv/bin/python tests/relevance/embedder_check.py --model models/all-MiniLM-L6-v2

(`tokenizers`, the Hugging Face library, is used only as a second opinion on the token ids;
the reference vectors use the tokenizer below.)
"""

import argparse
import json
import math
import os
import subprocess
import sys
import unicodedata

import numpy as np
from safetensors.numpy import load_file

MAX_TOKENS = 256
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def corpus_lines():
    """Every non-blank line of the bundled corpus's texts."""
    corpus = os.path.join(ROOT, "corpus")
    for name in sorted(os.listdir(corpus)):
        if name.endswith(".txt"):
            with open(os.path.join(corpus, name), encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        yield line.strip()


def long_text():
    """Consecutive lines of the bundled corpus, about 3,000 characters: over 500 word pieces,
    so truncation to 256 decides the vector."""
    out = []
    for line in corpus_lines():
        if len(line) > 200:
            out.append(line)
        if sum(map(len, out)) > 3000:
            break
    return " ".join(out)


SENTENCES = [
    "Children are seen alone by their social workers.",
    "how do councils listen to children in care?",
    "CHILDREN ARE SEEN ALONE BY THEIR SOCIAL WORKERS.",
    "Care leavers’ pathway plans are not updated; “staying put” is well used — café-style drop-ins help.",
    "IRO challenge",
    "MASH",
    "The local authority's arrangements for private fostering are inadequate, and the LSCB has "
    "not challenged partners about the quality of return home interviews for children who go "
    "missing from home or care (CSE, 16-17 year olds).",
    "",
]


class WordPiece:
    """BERT's uncased tokenizer, written from its definition."""

    def __init__(self, tokenizer_json):
        with open(tokenizer_json, encoding="utf-8") as f:
            t = json.load(f)
        self.vocab = t["model"]["vocab"]
        self.unk = t["model"].get("unk_token", "[UNK]")
        self.prefix = t["model"].get("continuing_subword_prefix", "##")
        self.max_chars = t["model"].get("max_input_chars_per_word", 100)

    @staticmethod
    def _is_punct(ch):
        cp = ord(ch)
        if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
            return True
        return unicodedata.category(ch).startswith("P")

    @staticmethod
    def _is_cjk(cp):
        return (
            0x4E00 <= cp <= 0x9FFF
            or 0x3400 <= cp <= 0x4DBF
            or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F
            or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F
        )

    def basic(self, text):
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue
            if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
                out.append(" ")
            elif self._is_cjk(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        text = "".join(out).lower()
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        words = []
        for w in text.split():
            cur = ""
            for ch in w:
                if self._is_punct(ch):
                    if cur:
                        words.append(cur)
                        cur = ""
                    words.append(ch)
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def pieces(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                return [self.unk]
            out.append(found)
            start = end
        return out

    def ids(self, text, max_tokens):
        tokens = [p for w in self.basic(text) for p in self.pieces(w)]
        tokens = ["[CLS]"] + tokens[: max_tokens - 2] + ["[SEP]"]
        return [self.vocab[t] for t in tokens]


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


ERF = np.vectorize(math.erf, otypes=[np.float64])


def bert_embed(weights, config, ids):
    """Mean-pooled, L2-normalised BERT output for one unpadded token sequence (float64)."""
    w = {k: v.astype(np.float64) for k, v in weights.items() if v.dtype != np.int64}
    eps = config["layer_norm_eps"]
    heads = config["num_attention_heads"]
    n = len(ids)
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:n]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    d = x.shape[1] // heads
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def lin(name, v):
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = lin("attention.self.query", x).reshape(n, heads, d).transpose(1, 0, 2)
        k = lin("attention.self.key", x).reshape(n, heads, d).transpose(1, 0, 2)
        v = lin("attention.self.value", x).reshape(n, heads, d).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(1, 0, 2).reshape(n, heads * d)
        x = layer_norm(
            lin("attention.output.dense", ctx) + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
            eps,
        )
        h = lin("intermediate.dense", x)
        h = 0.5 * h * (1.0 + ERF(h / math.sqrt(2.0)))
        x = layer_norm(
            lin("output.dense", h) + x,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
            eps,
        )
    mean = x.mean(0)
    return mean / np.linalg.norm(mean)


def crate_vectors(model, sentences):
    cmd = [
        "cargo", "run", "--quiet", "--release", "--features", "semantic",
        "--example", "hybrid_eval", "--", "--model", model, "--embed",
    ]
    out = subprocess.run(
        cmd, input="\n".join(sentences) + "\n", capture_output=True, text=True, cwd=ROOT
    )
    if out.returncode != 0:
        sys.exit(f"hybrid_eval --embed failed:\n{out.stderr}")
    return [np.array(json.loads(line)) for line in out.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    args = ap.parse_args()
    model = os.path.abspath(args.model)
    with open(os.path.join(model, "config.json")) as f:
        config = json.load(f)
    weights = load_file(os.path.join(model, "model.safetensors"))
    wp = WordPiece(os.path.join(model, "tokenizer.json"))
    sentences = SENTENCES + [long_text()]
    try:
        from tokenizers import Tokenizer

        hf = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
        hf.no_padding()
        hf.enable_truncation(MAX_TOKENS)
    except ImportError:
        hf = None
    if hf is not None:
        lines = list(corpus_lines())
        differ = sum(1 for line in lines if hf.encode(line).ids != wp.ids(line, MAX_TOKENS))
        print(f"token ids, this tokenizer vs Hugging Face tokenizers: {len(lines) - differ} of {len(lines)} corpus lines identical\n")
        failures_tok = differ
    else:
        failures_tok = 0
    ours = crate_vectors(model, sentences)
    assert len(ours) == len(sentences), (len(ours), len(sentences))
    failures = failures_tok
    print("| sentence | word pieces | tokenizers agree | cosine (crate, reference) |")
    print("|---|---|---|---|")
    refs = []
    for s, v in zip(sentences, ours):
        ids = wp.ids(s, MAX_TOKENS)
        agree = "n/a" if hf is None else ("yes" if hf.encode(s).ids == ids else "NO")
        ref = bert_embed(weights, config, ids)
        refs.append(ref)
        cos = float(v @ ref / np.linalg.norm(v))
        full = len(wp.ids(s, 10**6))
        shown = (s[:60] + "…") if len(s) > 60 else s
        print(f"| {shown!r} | {len(ids)} (of {full}) | {agree} | {cos:.7f} |")
        if cos < 0.999 or agree == "NO":
            failures += 1
    # Truncation: the long paragraph untruncated (up to BERT's 512 positions) is another vector.
    long_ids = wp.ids(sentences[-1], config["max_position_embeddings"])
    untruncated = bert_embed(weights, config, long_ids)
    cos = float(ours[-1] @ untruncated / np.linalg.norm(ours[-1]))
    print(f"\nlong text: crate vs reference at {len(long_ids)} tokens (not truncated to {MAX_TOKENS}): cosine {cos:.4f}")
    # Case: the uppercase sentence's vector equals the lowercase one's.
    cos = float(ours[0] @ ours[2] / (np.linalg.norm(ours[0]) * np.linalg.norm(ours[2])))
    print(f"uppercase vs lowercase sentence (crate): cosine {cos:.7f}")
    if cos < 0.999999:
        failures += 1
    worst = min(float(v @ r / np.linalg.norm(v)) for v, r in zip(ours, refs))
    print(f"\nlowest cosine, crate vs reference: {worst:.7f} over {len(sentences)} texts")
    if failures:
        sys.exit(f"{failures} check(s) failed")


if __name__ == "__main__":
    main()
