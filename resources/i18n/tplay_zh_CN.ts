<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>tplay</name>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>
note: {note}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>
score = {score:.4f}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <source> (re-processed with the current settings)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source> (stopped{why})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source> (the previous model's results were cleared)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source> (the scores as they are)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source> (top {k} of {n})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source> + generated</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source> · Next token / Generate N continue this run (changed settings start a new one)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source> · done in {s:.1f} s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/provenance.py" />
      <source> · head {head}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source> · removed {share:.1%}</source>
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
      <location filename="../../gui/lab/beam_tree.py" />
      <source>#{rank} score {score:.4f}: {text}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>&amp;Lab</source>
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
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>&lt;b&gt;[MASK] @ {p} attends to&lt;/b&gt; (layer {layer}, head {head}): {keys}</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>Apply</source>
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
      <location filename="../../gui/lab/__init__.py" />
      <source>Decoding lab</source>
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
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>Fill</source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Generate N</source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Lab prompt</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>Lab session (*.tplab.json *.json)</source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Next token</source>
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
      <location filename="../../gui/lab/lab_widget.py" />
      <source>Open lab session</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>Open lab session…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Pause</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>Reset</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Resume</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Run ⏎</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>Save lab session</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>Save lab session…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Save the trained model into a folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Save…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <location filename="../../gui/lab/training_view.py" />
      <source>Stop</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>Summarise</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>Summarise “{example}”</source>
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
      <location filename="../../gui/lab/training_view.py" />
      <source>Train</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>Translate “{example}”</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>after</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>after ({n} head edit(s))</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>after = before (edits reset)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>all beams finished (early stopping)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>are each label's own (sigmoid)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>attention</source>
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
      <location filename="../../gui/lab/stage_charts.py" />
      <source>banned tokens</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>beam search: the tree grows here (nodes = every candidate considered)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>beam tree</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>beam tree node {i}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>beam: keep the best few sequences at every step</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>beams</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>before</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>before (no edits)</source>
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
      <location filename="../../gui/lab/run_state.py" />
      <source>cancelled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>cannot open {file}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>capturing {layer}…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>choose at least one head in the grid, then Apply</source>
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
      <location filename="../../gui/lab/lab_calls.py" />
      <source>context window full ({n} tokens)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>convolution (n-gram branch)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>copy the debugger's prompt into the lab</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>cosine similarity of the two sentence embeddings: &lt;b&gt;{similarity:.4f}&lt;/b&gt; (‘{a}’, {na} tokens · ‘{b}’, {nb} tokens)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/lab/translation_view.py" />
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
      <location filename="../../gui/lab/training_view.py" />
      <source>cross-attention snapshot</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>cross-attention, decoder layer {layer}, {head}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>cross-entropy (nats)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>debugger: {what}; the lab's prompt plus the node's prefix, its last position predicts the node</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>edits reset: the model runs unchanged · </source>
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
      <location filename="../../gui/lab/run_state.py" />
      <source>end-of-sequence</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>estimating memory…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>every candidate finished</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>every {ordinal}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>fill is unavailable: {why}. Attention and embeddings are still shown.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>final beams, best first — </source>
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
      <location filename="../../gui/lab/beam_tree.py" />
      <source>finished</source>
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
      <location filename="../../gui/lab/stage_charts.py" />
      <source>forced first token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>forced last token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>generate a token to see every processor stage</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>generating: a row appears here for each target token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>greedy: always the most probable token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>head</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
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
      <location filename="../../gui/lab/translation_view.py" />
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
      <location filename="../../gui/lab/lab_widget.py" />
      <source>interventions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>it is not packaged as a sentence-embedding model (no modules.json pooling)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>kept</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
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
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <location filename="../../gui/panels/navigator.py" />
      <source>layer </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>layer {layer} head {head}: {mode}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>length penalty</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>load an encoder-decoder model (e.g. tiny-translator) and generate</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>load an encoder-only model (BERT-style) and press Fill</source>
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
      <location filename="../../gui/lab/lab_widget.py" />
      <source>masked fill</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>masked scores (−∞ = may not attend)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>max new tokens</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>max-new-tokens</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>mean</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>mean of heads</source>
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
      <location filename="../../gui/lab/stage_charts.py" />
      <source>min new tokens</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>min-p</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>model changed: the {old} output was cleared</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>module</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>next token after position {p} ‘{token}’: softmax of the logits, top {k}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <location filename="../../gui/lab/lab_widget.py" />
      <source>next-token probabilities</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>no edits</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/lab/controller.py" />
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>no model is loaded yet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>no running beam can beat the finished ones</source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>off</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>on the lab's text “{text}”{generated} · {what} · top token ‘{top_b}’ p={p_b:.4f} → ‘{top_a}’ p={p_a:.4f}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>one-hot target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>p · bits</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>p(chosen) · entropy [bits]</source>
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
      <location filename="../../gui/lab/training_view.py" />
      <source>pause after the current step (Resume goes on)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>paused</source>
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
      <location filename="../../gui/lab/masked_fill_view.py" />
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
      <location filename="../../gui/lab/training_view.py" />
      <source>predicted distribution per position</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>predicted p per position (probe)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>press Fill: the text's attention (any layer, head) appears here</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>press Fill: the text's token embeddings appear here</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>press Train to start: the loss curve and attention appear here</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/prob_bars.py" />
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
      <location filename="../../gui/lab/beam_tree.py" />
      <source>prompt</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>prompt (source text for a translator)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>pruned</source>
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
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/views/attention.py" />
      <location filename="../../gui/views/base.py" />
      <source>query</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>ranking entry {i}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>raw</source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>repetition penalty</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>runs the lab's prompt (the box on the left) plus what the lab generated, not the debugger's · click a cell (row = layer, column = head) to choose it: each click cycles off → 0 zero → μ mean → × scale</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>sample: draw from the processed distribution</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>save the trained model as a loadable model folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>saved to {path} — open it with File ▸ Open model folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>scale</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>scale × </source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>seed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>segment embedding</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
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
      <location filename="../../gui/lab/controller.py" />
      <source>session restored ({tokens} tokens, {nodes} tree nodes); generate again to see the charts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>session saved to {path}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>setting {name} is not one the lab has</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>setting {name} {value} is outside the lab's range for it ({lo:g} … {hi:g})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>showing {what}</source>
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
      <location filename="../../gui/lab/training_view.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <source>source</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>stages</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <location filename="../../gui/lab/training_view.py" />
      <source>step</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>step {step} ({strategy}): chose ‘{token}’ p = {p:.4f} under the final stage · orange = the token taken</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>step {step}/{total} · loss {loss:.4f} · token accuracy {accuracy:.0%} · lr {lr:.2e}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <source>step {step}: next-token probabilities</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>steps </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>stop after the current step</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/side_jobs.py" />
      <source>stopped</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/model_following.py" />
      <source>stopped: loading another model failed; {model} is still loaded · Next token / Generate N continue this run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/side_jobs.py" />
      <source>stopped: loading {model} failed; {still} is still loaded · {button} runs it again</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/model_following.py" />
      <location filename="../../gui/lab/side_jobs.py" />
      <source>stopped: model changed (loading {model})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>stopped: model changed · the {old} run was cancelled after {steps} steps; its output was cleared</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>stopping: {why}…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>strategy</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>strategy {value} is not one the lab has ({items})</source>
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
      <location filename="../../gui/lab/training_view.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <source>target</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>target position</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>temperature</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>the cross-attention heatmap appears here: a row per target token as the translation is generated</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>the debugger's prompt; the decoding lab has its own (its ⇦ debugger's button copies this one)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>the lab's own prompt: generation, masked fill and interventions run it; the debugger has its own (the Prompt panel)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>the lab's prompt is now the debugger's</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>the step that chose ‘{token}’ (beam node at step {step})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>this layer has no weights of its own: it runs {layer}'s parameters (its inputs, and so every step, are its own)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
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
      <location filename="../../gui/lab/training_view.py" />
      <source>token</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>token at position {p} ‘{token}’ as the masked-LM head predicts it: softmax of the logits, top {k} (put [MASK] in the prompt to ask for a word)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>token embeddings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>token embeddings (hook_embed)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>token id {id} in {where} is outside the model's vocabulary ({model} has {vocab} tokens)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>tokenization</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>tokens</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>top-k</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>top-p</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>train the micro translator for this many steps</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>training</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>training loss</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>training: building the tokenizer and the model; the charts appear at the first report</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>trains a 1-layer encoder-decoder on the example sentences (je suis étudiant → i am a student)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>translation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>unchanged</source>
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
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>zero</source>
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
      <location filename="../../gui/lab/run_state.py" />
      <source>{model} is encoder-only: it fills [MASK]s (masked fill tab) rather than generating</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>{model} loaded: press Fill</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>{module} head 0</source>
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
      <location filename="../../gui/lab/translation_view.py" />
      <source>{name} has no encoder, so there is no cross-attention to show: load an encoder-decoder model (e.g. tiny-translator) for this tab</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>{name} is an encoder-decoder: type a source sentence and press Generate (or Translate “{example}”, or Summarise a paragraph); each target token adds a row of cross-attention</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>{name}, head {head}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>{n} mask(s): top {k} candidates each (softmax of the MLM head's logits)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>{n} steps · {reason}</source>
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
      <location filename="../../gui/lab/stage_charts.py" />
      <source>{stage}: {kept:,} kept</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>{strategy}: running…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>{target} target tokens × {source} source tokens: each row is where the decoder looked in the source when it produced that token</source>
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
      <location filename="../../gui/lab/generation_panel.py" />
      <source>⇦ debugger's</source>
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
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>━━ entropy (bits)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>●━ p(chosen)</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
