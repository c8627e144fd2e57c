<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>tplay</name>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source> (the scores as they are)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/provenance.py" />
      <source> · head {head}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source> · weights shared with </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source> — computing: {n} positions so far, nearest the cursor first</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source> — the views still show the previous run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>&amp;Language</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>(finding models…)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>(no models found: open a folder or GGUF)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>+ position bias</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>&lt;b&gt;tokens&lt;/b&gt; — the tokenizer's output: text → token ids</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>&lt;b&gt;{name}&lt;/b&gt; — {description}&lt;br&gt;&lt;small&gt;[{axes}] = [{shape}] · from: {inputs}&lt;/small&gt;</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (FFN)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (attention)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (convolution)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (cross-attention)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>All devices available</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Break on every “{kind}” (Ctrl+F9)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Cancel</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>Compare</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Device</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Dtype</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN activation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN output</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN pre-activation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN up</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>Follow the system</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>GGUF (*.gguf);;Any file: Ollama's blobs have no extension (*)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>Heatmap</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>K after RoPE</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K clipped</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K normalised</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K rotated (RoPE)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>Language</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>Lines</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Load</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>Load a model, type a prompt and press Enter.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>MLM transform</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open GGUF…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open a GGUF file</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open a model folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open folder…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>Q after RoPE</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q clipped</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q normalised</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q rotated (RoPE)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Run ⏎</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Target:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>The debugger's prompt: type and press Enter (Shift+Enter for a new line)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>The interface will be in {language} the next time Transformer Playground starts.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Toggle breakpoint here (F9)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Unavailable — {reasons}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>V</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>V clipped</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>a second prompt to compare with</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>are each label's own (sigmoid)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>attention output</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>attention pattern = softmax over keys</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>available</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>c2p: content → position</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>c2p: q · relative-position keys (content → position)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>capturing {layer}…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>class logits</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>computing the cosine similarity …</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>convolution (n-gram branch)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>cosine similarity of the two sentence embeddings: &lt;b&gt;{similarity:.4f}&lt;/b&gt; (‘{a}’, {na} tokens · ‘{b}’, {nb} tokens)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>cross-attention</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>cross-attention output</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>decoder input (the translation so far), e.g. i am a student — Enter runs</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>dim</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>dimension (d_model)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>embedding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>encoder output</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>estimating memory…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>final hidden state</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>final hidden state at position {p} ‘{token}’</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>first token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>first token ([CLS] / &lt;s&gt;)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>first token {token}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>head </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>head result = z·W_O[h]</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>head {head}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/provenance.py" />
      <source>input: </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>it is not packaged as a sentence-embedding model (no modules.json pooling)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <location filename="../../gui/views/base.py" />
      <source>key</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>key (source)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>kv head {kv} serves query heads {first}–{last}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>label</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>label probabilities</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>layer </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source>logit lens: each layer's residual stream through the final norm and unembedding; top token and probability per position (hover for the top 5)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>logits → softmax</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>mask (−∞)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>masked scores (−∞ = may not attend)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>memory estimate unavailable: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>memory estimate: unknown format</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>next token after position {p} ‘{token}’: softmax of the logits, top {k}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/i18n.py" />
      <source>no font for Chinese text is installed: on Debian/Ubuntu install {packages}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source>no logit lens: this model has no language-model head, so there is no unembedding to read its layers' hidden states through</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>no scaling</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>no sentence embedding: {why}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>no similarity: {msg}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>norm statistic</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>normalized</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source>not computed yet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>p2c: k · relative-position queries (position → content)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>p2c: position → content</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>per-head output (W_O)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>pooled (dense + activation)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <location filename="../../gui/views/heatmap.py" />
      <source>position</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>position </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>position: last</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>positional encoding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <location filename="../../gui/views/probabilities.py" />
      <source>probability</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>project in (to d_model)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>project out (to d_embed)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>put back the prompt you typed (another view replaced it)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>queries come from the decoder, keys and values from the encoder output</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <location filename="../../gui/views/base.py" />
      <source>query</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>raw logits (before soft-cap)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>raw scores q·kᵀ</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>relative distance</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>relative position bias</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>relative position bias of this head (by key − query offset)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>relative-position embeddings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>rescale (× d_model^-0.5)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual after attention</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual after cross-attention</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual in</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual out</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>running…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>scaled scores (÷ the divisor in the step's description)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>scores + relative position bias</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>scores Q·Kᵀ</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>scroll to zoom, drag to pan, double-click to reset</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>second prompt:</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>segment embedding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>self-attention</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>sentence embedding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>sentence embedding of the prompt: {pooling} (as {source} say)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>soft-cap tanh(x/c)·c</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>soft-capped scores tanh(x / c) · c</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>softmax</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>sum of embeddings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>sum to 1</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>the debugger's prompt; the decoding lab has its own (its ⇦ debugger's button copies this one)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>this layer has no weights of its own: it runs {layer}'s parameters (its inputs, and so every step, are its own)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>this model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>this model has no output head (no logits to show)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>this run recorded no label probabilities (not a sequence classifier)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>token at position {p} ‘{token}’ as the masked-LM head predicts it: softmax of the logits, top {k} (put [MASK] in the prompt to ask for a word)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>tokenization</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>value</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>weighted sum of V (z)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>z = pattern·V</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>{arch} has no language-model head: its output is the final hidden state ({name}, [{n} positions × d_model {d}]), a vector per position, not a score per vocabulary entry, so there are no token probabilities to show.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>{description} · {n} labels, from the first token; the probabilities {what}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>{layer} · {kind} · head {head} · {what}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>{name}  (path)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>{name}  ({kind}) — cannot open</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <location filename="../../gui/views/probabilities.py" />
      <source>{p:.4f}  (logit {logit:.3f})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>{part} · head {head}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>{why} — your prompt is kept (↶ Your prompt)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>÷ scale</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>↶ Your prompt</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>−∞ (masked)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>≈ {count} parameters → about {size} of memory in {dtype} (plus the trace)</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
