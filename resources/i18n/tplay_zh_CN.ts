<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>tplay</name>
    <message>
      <location filename="../../gui/quit_signals.py" />
      <source>

The window works; what you change is not kept for the next launch.</source>
      <translation>

窗口可以正常使用，但你所做的更改不会保留到下次启动。</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>
note: {note}</source>
      <translation>
注：{note}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>
score = {score:.4f}</source>
      <translation>
得分 = {score:.4f}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <source> (re-processed with the current settings)</source>
      <translation>（已按当前设置重新处理）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source> (stopped{why})</source>
      <translation>（已停止{why}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source> (the previous model's results were cleared)</source>
      <translation>（上一个模型的结果已清除）</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source> (the scores as they are)</source>
      <translation>（分数保持原样）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source> (top {k} of {n})</source>
      <translation>（{n} 个中的前 {k} 个）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source> + generated</source>
      <translation> + 已生成部分</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source> or </source>
      <translation> 或 </translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source> step {i}/{n} </source>
      <translation> 第 {i}/{n} 步 </translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source> · Next token / Generate N continue this run (changed settings start a new one)</source>
      <translation> · “下一个词元”/“生成 N 个”继续本次运行（改动设置则开始新的运行）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source> · done in {s:.1f} s</source>
      <translation> · 用时 {s:.1f} 秒</translation>
    </message>
    <message>
      <location filename="../../gui/views/provenance.py" />
      <source> · head {head}</source>
      <translation> · 头 {head}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source> · removed {share:.1%}</source>
      <translation> · 移除 {share:.1%}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_sections.py" />
      <source> · restored from a session (the weights are not kept: train again to save a model)</source>
      <translation> · 从会话中恢复（权重没有保存：要保存模型请重新训练）</translation>
    </message>
    <message>
      <location filename="../../gui/tour/presenter.py" />
      <source> · step %1/%2 (F10)</source>
      <translation> · 第 %1/%2 步（F10）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source> · weights shared with </source>
      <translation> · 与以下层共享权重：</translation>
    </message>
    <message>
      <location filename="../../gui/tour/presenter.py" />
      <source> · ← → stops · L 中文/English · Esc leaves</source>
      <translation> · ← → 切换站点 · L 中文/English · Esc 退出</translation>
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source> — computing: {n} positions so far, nearest the cursor first</source>
      <translation> —— 计算中：已完成 {n} 个位置，离光标最近的优先</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source> — the views still show the previous run</source>
      <translation> —— 各视图仍显示上一次运行</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>#{rank} score {score:.4f}: {text}</source>
      <translation>#{rank} 得分 {score:.4f}：{text}</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>&amp;Debug</source>
      <translation>调试(&amp;D)</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>&amp;Lab</source>
      <translation>实验台(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../gui/theme_menu.py" />
      <source>&amp;Theme</source>
      <translation>主题(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>&amp;Tour</source>
      <translation>导览(&amp;T)</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>(finding models…)</source>
      <translation>（正在查找模型…）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>(no models found: open a folder or GGUF)</source>
      <translation>（未找到模型：请打开一个文件夹或 GGUF 文件）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>+ position bias</source>
      <translation>+ 位置偏置</translation>
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>1 pixel = {rows}×{cols} cells, showing their largest |value| · zoom in for every cell</source>
      <translation>1 像素 = {rows}×{cols} 个单元格，显示其中绝对值最大的值 · 放大可看每个单元格</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>&lt;b&gt;[MASK] @ {p} attends to&lt;/b&gt; (layer {layer}, head {head}): {keys}</source>
      <translation>&lt;b&gt;位置 {p} 的 [MASK] 关注&lt;/b&gt;（第 {layer} 层，头 {head}）：{keys}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>&lt;b&gt;tokens&lt;/b&gt; — the tokenizer's output: text → token ids</source>
      <translation>&lt;b&gt;词元&lt;/b&gt; —— 分词器的输出：文本 → 词元 id</translation>
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>&lt;b&gt;{name}&lt;/b&gt; · {label} — {description}&lt;br&gt;&lt;small&gt;[{axes}] = [{shape}] · from: {inputs}&lt;/small&gt;</source>
      <translation>&lt;b&gt;{name}&lt;/b&gt; · {label} —— {description}&lt;br&gt;&lt;small&gt;[{axes}] = [{shape}] · 输入：{inputs}&lt;/small&gt;</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>About</source>
      <translation>关于</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (FFN)</source>
      <translation>相加（FFN）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (attention)</source>
      <translation>相加（注意力）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (convolution)</source>
      <translation>相加（卷积）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Add (cross-attention)</source>
      <translation>相加（交叉注意力）</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Add this view as a stop</source>
      <translation>把这个视图添加为一站</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>All devices available</source>
      <translation>所有设备均可用</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>Apply</source>
      <translation>应用</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Attention grid</source>
      <translation>注意力网格</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>B</source>
      <translation>B</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Break on every step of this kind</source>
      <translation>在每个同类步骤处中断</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Break on every “{kind}” (Ctrl+F9)</source>
      <translation>在每个“{kind}”处中断（Ctrl+F9）</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Break on kind</source>
      <translation>按类型中断</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Breakpoint</source>
      <translation>断点</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Cancel run</source>
      <translation>取消运行</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Caption language</source>
      <translation>说明文字语言</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>Compare</source>
      <translation>比较</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Continue ▶▶</source>
      <translation>继续 ▶▶</translation>
    </message>
    <message>
      <location filename="../../gui/export.py" />
      <source>Could not export the {name} chart to {path}.

{error}</source>
      <translation>无法把{name}图表导出到 {path}。

{error}</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>Could not export the {what} to {path}.

{error}</source>
      <translation>无法把{what}导出到 {path}。

{error}</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Could not load the model.

{msg}</source>
      <translation>无法加载模型。

{msg}</translation>
    </message>
    <message>
      <location filename="../../gui/tour/stage_widgets.py" />
      <source>DIAGRAM: the paper's formula at %1 × %2 (not this model's tensor)</source>
      <translation>示意图：论文公式在 %1 × %2 下的结果（不是这个模型的张量）</translation>
    </message>
    <message>
      <location filename="../../gui/theme_menu.py" />
      <source>Dark</source>
      <translation>深色</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>Decoding lab</source>
      <translation>解码实验台</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Dtype</source>
      <translation>数据类型</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Edit captions…</source>
      <translation>编辑说明文字…</translation>
    </message>
    <message>
      <location filename="../../gui/tour/captions_dialog.py" />
      <source>Edit the tour's captions</source>
      <translation>编辑导览的说明文字</translation>
    </message>
    <message>
      <location filename="../../gui/tour/captions_dialog.py" />
      <source>English</source>
      <translation>英文</translation>
    </message>
    <message>
      <location filename="../../gui/export.py" />
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>Export current view…</source>
      <translation>导出当前视图…</translation>
    </message>
    <message>
      <location filename="../../gui/export.py" />
      <location filename="../../gui/view_export.py" />
      <source>Export {name}</source>
      <translation>导出{name}</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>Export {title} chart…</source>
      <translation>导出“{title}”图表…</translation>
    </message>
    <message>
      <location filename="../../gui/export.py" />
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN activation</source>
      <translation>FFN 激活</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN output</source>
      <translation>FFN 输出</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN pre-activation</source>
      <translation>FFN 激活前</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>FFN up</source>
      <translation>FFN 升维</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>Fill</source>
      <translation>填空</translation>
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <location filename="../../gui/theme_menu.py" />
      <source>Follow the system</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>GGUF (*.gguf);;Any file: Ollama's blobs have no extension (*)</source>
      <translation>GGUF (*.gguf);;任意文件：Ollama 的 blob 文件没有扩展名 (*)</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Generate N</source>
      <translation>生成 N 个</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>GiB</source>
      <translation>GiB</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>Heatmap</source>
      <translation>热力图</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K</source>
      <translation>K</translation>
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>K after RoPE</source>
      <translation>RoPE 之后的 K</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K clipped</source>
      <translation>K（截断）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K normalised</source>
      <translation>K（归一化）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>K rotated (RoPE)</source>
      <translation>K（RoPE 旋转）</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>KiB</source>
      <translation>KiB</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Lab prompt</source>
      <translation>实验台提示词</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>Lab session (*.tplab.json *.json)</source>
      <translation>实验台会话 (*.tplab.json *.json)</translation>
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <location filename="../../gui/tour/stage_widgets.py" />
      <source>Left: the tensor this model adds to its embeddings. Right: a diagram computed from the formula sin | cos at the paper's size, drawn for comparison.</source>
      <translation>左：这个模型加到嵌入上的张量。右：按论文中的尺寸用公式 sin | cos 算出的示意图，用于对比。</translation>
    </message>
    <message>
      <location filename="../../gui/theme_menu.py" />
      <source>Light</source>
      <translation>浅色</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>Lines</source>
      <translation>连线图</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Load</source>
      <translation>加载</translation>
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>Load a model, type a prompt and press Enter.</source>
      <translation>加载一个模型，输入提示词，然后按回车。</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Logit lens</source>
      <translation>logit 透镜</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>MLM transform</source>
      <translation>MLM 变换</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Max memory</source>
      <translation>最大内存</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>MiB</source>
      <translation>MiB</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Model and device</source>
      <translation>模型与设备</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Next token</source>
      <translation>下一个词元</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Open GGUF file…</source>
      <translation>打开 GGUF 文件…</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open GGUF…</source>
      <translation>打开 GGUF…</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open a GGUF file</source>
      <translation>打开 GGUF 文件</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open a model folder</source>
      <translation>打开模型文件夹</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Open folder…</source>
      <translation>打开文件夹…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>Open lab session</source>
      <translation>打开实验台会话</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>Open lab session…</source>
      <translation>打开实验台会话…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>Open masked fill</source>
      <translation>打开掩码填空</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Open model folder…</source>
      <translation>打开模型文件夹…</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Open recording</source>
      <translation>打开录制</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Open recording…</source>
      <translation>打开录制…</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Open session…</source>
      <translation>打开会话…</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Output</source>
      <translation>输出</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Over layer</source>
      <translation>执行完本层</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>PNG image (*.png)</source>
      <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
      <location filename="../../gui/export.py" />
      <source>PNG image (*.png);;SVG image (*.svg)</source>
      <translation>PNG 图像 (*.png);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Per-device budget for the weights (accelerate's max_memory; --max-memory)</source>
      <translation>每个设备存放权重的内存预算（accelerate 的 max_memory；--max-memory）</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Pipeline</source>
      <translation>计算流程</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Placement</source>
      <translation>分布方式</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>Play's pace</source>
      <translation>播放速度</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Present a tour file</source>
      <translation>演示导览文件</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Present a tour file…</source>
      <translation>演示导览文件…</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Present my tour</source>
      <translation>演示我的导览</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Present “How a Transformer works”</source>
      <translation>演示“Transformer 是如何工作的”</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Presenter type size</source>
      <translation>演示字号</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Prompt</source>
      <translation>提示词</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q</source>
      <translation>Q</translation>
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>Q after RoPE</source>
      <translation>RoPE 之后的 Q</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q clipped</source>
      <translation>Q（截断）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q normalised</source>
      <translation>Q（归一化）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Q rotated (RoPE)</source>
      <translation>Q（RoPE 旋转）</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Recording (*.tplayrec)</source>
      <translation>录制文件 (*.tplayrec)</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/main_window.py" />
      <source>Reset</source>
      <translation>重置</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Reset to the first step</source>
      <translation>回到第一步</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Run prompt</source>
      <translation>运行提示词</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Run to end / next breakpoint</source>
      <translation>运行到结束 / 下一个断点</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Run ⏎</source>
      <translation>运行 ⏎</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>SVG image (*.svg)</source>
      <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>Save lab session</source>
      <translation>保存实验台会话</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>Save lab session…</source>
      <translation>保存实验台会话…</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Save my tour</source>
      <translation>保存我的导览</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>Save my tour as…</source>
      <translation>我的导览另存为…</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Save recording (about {size})</source>
      <translation>保存录制（约 {size}）</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Save recording…</source>
      <translation>保存录制…</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Save session…</source>
      <translation>保存会话…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Save the trained model into a folder</source>
      <translation>将训练好的模型保存到文件夹</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Save…</source>
      <translation>保存…</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>Show all</source>
      <translation>全部显示</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Spread the layers over GPUs, CPU and disk with accelerate: layers that fit nowhere are streamed from the offload folder, one layer at a time</source>
      <translation>用 accelerate 把各层分布到 GPU、CPU 和磁盘上：哪里都放不下的层从卸载文件夹中逐层流式读取</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <location filename="../../gui/views/tokens.py" />
      <source>Step</source>
      <translation>单步</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Step back</source>
      <translation>后退一步</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Step over layer</source>
      <translation>执行完本层</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Step through a real Transformer: every number shown is a tensor from the run.</source>
      <translation>一步一步地走过一个真实的 Transformer：显示的每一个数字都是本次运行中的张量。</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Step ▶</source>
      <translation>单步 ▶</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Stepping</source>
      <translation>单步执行</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <location filename="../../gui/lab/training_view.py" />
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>Summarise</source>
      <translation>摘要</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>Summarise “{example}”</source>
      <translation>为“{example}”生成摘要</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>Target:</source>
      <translation>目标：</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>The debugger's prompt: type and press Enter (Shift+Enter for a new line)</source>
      <translation>调试器的提示词：输入后按回车（Shift+回车换行）</translation>
    </message>
    <message>
      <location filename="../../gui/language_menu.py" />
      <source>The interface will be in {language} the next time Transformer Playground starts.</source>
      <translation>下次启动 Transformer Playground 时，界面将使用{language}。</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>The prompt was not run: {msg}</source>
      <translation>提示词没有运行：{msg}</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>Toggle breakpoint</source>
      <translation>设置/取消断点</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>Toggle breakpoint here (F9)</source>
      <translation>在此处设置/取消断点（F9）</translation>
    </message>
    <message>
      <location filename="../../gui/tour/presenter.py" />
      <source>Tour: %1</source>
      <translation>导览：%1</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>Transformer Playground — {what} (read-only)</source>
      <translation>Transformer Playground —— {what}（只读）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>Translate “{example}”</source>
      <translation>翻译“{example}”</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>Unavailable — {reasons}</source>
      <translation>不可用 —— {reasons}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>V</source>
      <translation>V</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>V clipped</source>
      <translation>V（截断）</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>a second prompt to compare with</source>
      <translation>用于比较的第二个提示词</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>added stop %1 to your tour (Tour ▸ Edit captions… to write its caption)</source>
      <translation>已把第 %1 站加入你的导览（用 导览 ▸ 编辑说明文字… 来写它的说明）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/lab/session_sections.py" />
      <source>after</source>
      <translation>之后</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>after ({n} head edit(s))</source>
      <translation>之后（{n} 处头部修改）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>after = before (edits reset)</source>
      <translation>之后 = 之前（修改已重置）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>all beams finished (early stopping)</source>
      <translation>所有束均已结束（提前停止）</translation>
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>are each label's own (sigmoid)</source>
      <translation>各自独立（sigmoid）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>attention</source>
      <translation>注意力</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>attention output</source>
      <translation>注意力输出</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>attention pattern = softmax over keys</source>
      <translation>注意力模式 = 对各键做 softmax</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>available</source>
      <translation>可用</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>banned tokens</source>
      <translation>禁用词元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>beam search: the tree grows here (nodes = every candidate considered)</source>
      <translation>束搜索：搜索树在这里生长（节点 = 考虑过的每个候选）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>beam tree</source>
      <translation>束搜索树</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>beam tree node {i}</source>
      <translation>束搜索树节点 {i}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>beam: keep the best few sequences at every step</source>
      <translation>束搜索：每一步保留最好的几个序列</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>beams</source>
      <translation>束宽</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>before</source>
      <translation>之前</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/lab/session_sections.py" />
      <source>before (no edits)</source>
      <translation>之前（未修改）</translation>
    </message>
    <message>
      <location filename="../../gui/views/token_table.py" />
      <source>bytes</source>
      <translation>字节</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>c2p: content → position</source>
      <translation>c2p：内容 → 位置</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>c2p: q · relative-position keys (content → position)</source>
      <translation>c2p：q · 相对位置键（内容 → 位置）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>cancelled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <location filename="../../gui/debugger_place.py" />
      <source>cannot open the session: its model {model} did not load ({why})</source>
      <translation>无法打开会话：它的模型 {model} 没有加载成功（{why}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <location filename="../../gui/lab/session_file.py" />
      <location filename="../../gui/recording_menu.py" />
      <source>cannot open {file}: {error}</source>
      <translation>无法打开 {file}：{error}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>capturing {layer}…</source>
      <translation>正在捕获 {layer}…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>choose at least one head in the grid, then Apply</source>
      <translation>在网格中至少选择一个头，然后点“应用”</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>class logits</source>
      <translation>类别 logits</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>computing the cosine similarity …</source>
      <translation>正在计算余弦相似度…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_calls.py" />
      <source>context window full ({n} tokens)</source>
      <translation>上下文窗口已满（{n} 个词元）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>convolution (n-gram branch)</source>
      <translation>卷积（n 元分支）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>copy the debugger's prompt into the lab</source>
      <translation>把调试器的提示词复制到实验台</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>cosine similarity of the two sentence embeddings: &lt;b&gt;{similarity:.4f}&lt;/b&gt; (‘{a}’, {na} tokens · ‘{b}’, {nb} tokens)</source>
      <translation>两个句向量的余弦相似度：&lt;b&gt;{similarity:.4f}&lt;/b&gt;（‘{a}’，{na} 个词元 · ‘{b}’，{nb} 个词元）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <location filename="../../gui/views/attention.py" />
      <source>cross-attention</source>
      <translation>交叉注意力</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>cross-attention output</source>
      <translation>交叉注意力输出</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>cross-attention snapshot</source>
      <translation>交叉注意力快照</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>cross-attention, decoder layer {layer}, {head}</source>
      <translation>交叉注意力，解码器第 {layer} 层，{head}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>cross-entropy (nats)</source>
      <translation>交叉熵（奈特）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>cuda:0=20GiB,cpu=30GiB (empty: what is free)</source>
      <translation>cuda:0=20GiB,cpu=30GiB（留空：使用空闲的内存）</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>current view</source>
      <translation>当前视图</translation>
    </message>
    <message>
      <location filename="../../gui/theme_menu.py" />
      <source>dark</source>
      <translation>深色</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>debugger: {what}; the lab's prompt plus the node's prefix, its last position predicts the node</source>
      <translation>调试器：{what}；实验台的提示词加上该节点的前缀，其最后一个位置预测该节点</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>decoder input (the translation so far), e.g. i am a student — Enter runs</source>
      <translation>解码器输入（目前为止的译文），例如 i am a student —— 按回车运行</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>device: {device}</source>
      <translation>设备：{device}</translation>
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>dim</source>
      <translation>维度</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>dimension (d_model)</source>
      <translation>维度（d_model）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>edits reset: the model runs unchanged · </source>
      <translation>修改已重置：模型按原样运行 · </translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>embedding</source>
      <translation>嵌入</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>encoder output</source>
      <translation>编码器输出</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>end-of-sequence</source>
      <translation>序列结束</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>estimating memory…</source>
      <translation>正在估算内存…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>event {i}</source>
      <translation>事件 {i}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>every candidate finished</source>
      <translation>所有候选均已结束</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>every {ordinal}</source>
      <translation>每 {ordinal} 个</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>explainer: {error}</source>
      <translation>讲解器：{error}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>fill is unavailable: {why}. Attention and embeddings are still shown.</source>
      <translation>无法填空：{why}。注意力和嵌入仍会显示。</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>final beams, best first — </source>
      <translation>最终的束，最好的在前 —— </translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>final hidden state</source>
      <translation>最终隐藏状态</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>final hidden state at position {p} ‘{token}’</source>
      <translation>位置 {p} ‘{token}’ 的最终隐藏状态</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>finished</source>
      <translation>已结束</translation>
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>first token</source>
      <translation>第一个词元</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>first token ([CLS] / &lt;s&gt;)</source>
      <translation>第一个词元（[CLS] / &lt;s&gt;）</translation>
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>first token {token}</source>
      <translation>第一个词元 {token}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>forced first token</source>
      <translation>强制首词元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>forced last token</source>
      <translation>强制末词元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>generate a token to see every processor stage</source>
      <translation>生成一个词元，即可看到每个处理阶段</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>generating: a row appears here for each target token</source>
      <translation>生成中：每个目标词元在这里出现一行</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>greedy: always the most probable token</source>
      <translation>贪心：总是取概率最高的词元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <location filename="../../gui/views/grid_canvas.py" />
      <source>head</source>
      <translation>头</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/panels/inspector.py" />
      <source>head </source>
      <translation>头 </translation>
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>head result = z·W_O[h]</source>
      <translation>头的结果 = z·W_O[h]</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <location filename="../../gui/views/qkv.py" />
      <source>head {head}</source>
      <translation>头 {head}</translation>
    </message>
    <message>
      <location filename="../../gui/views/provenance.py" />
      <source>input: </source>
      <translation>输入：</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>interventions</source>
      <translation>干预</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>it is a folder, not a lab session file</source>
      <translation>这是一个文件夹，不是实验台会话文件</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>it is not a lab session (not UTF-8 text)</source>
      <translation>这不是实验台会话（不是 UTF-8 文本）</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>it is not packaged as a sentence-embedding model (no modules.json pooling)</source>
      <translation>它没有按句向量模型打包（没有 modules.json 池化配置）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>its JSON is nested too deeply to be a lab session</source>
      <translation>它的 JSON 嵌套太深，不可能是实验台会话</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>kept</source>
      <translation>保留</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/views/attention.py" />
      <location filename="../../gui/views/attention_lines.py" />
      <location filename="../../gui/views/base.py" />
      <source>key</source>
      <translation>键</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>key (source)</source>
      <translation>键（源）</translation>
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>kv head {kv} serves query heads {first}–{last}</source>
      <translation>kv 头 {kv} 服务于查询头 {first}–{last}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>lab session version {version} is not supported (expected the number {expected})</source>
      <translation>不支持实验台会话版本 {version}（应为数字 {expected}）</translation>
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>label</source>
      <translation>标签</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>label probabilities</source>
      <translation>标签概率</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>last run {ms:.0f} ms</source>
      <translation>上次运行 {ms:.0f} ms</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <location filename="../../gui/panels/navigator.py" />
      <source>layer </source>
      <translation>层 </translation>
    </message>
    <message>
      <location filename="../../gui/engine_calls.py" />
      <source>layer {i}/{n}</source>
      <translation>层 {i}/{n}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>layer {layer} head {head}: {mode}</source>
      <translation>第 {layer} 层 头 {head}：{mode}</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention_grid.py" />
      <source>layers × heads: click a thumbnail to open that head</source>
      <translation>层 × 头：点击缩略图打开那个头</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>length penalty</source>
      <translation>长度惩罚</translation>
    </message>
    <message>
      <location filename="../../gui/theme_menu.py" />
      <source>light</source>
      <translation>浅色</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>load an encoder-decoder model (e.g. tiny-translator) and generate</source>
      <translation>加载一个编码器-解码器模型（例如 tiny-translator）并生成</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>load an encoder-only model (BERT-style) and press Fill</source>
      <translation>加载一个仅编码器模型（BERT 类），然后点“填空”</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>loaded {name} ({family}, {architecture})</source>
      <translation>已加载 {name}（{family}，{architecture}）</translation>
    </message>
    <message>
      <location filename="../../gui/engine_calls.py" />
      <source>loaded {name} in {s:.1f} s</source>
      <translation>已加载 {name}，用时 {s:.1f} 秒</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>loading failed</source>
      <translation>加载失败</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>loading failed; loading {name} instead</source>
      <translation>加载失败；改为加载 {name}</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>loading failed; the previous model is still loaded</source>
      <translation>加载失败；之前的模型仍处于加载状态</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>loading {name}…</source>
      <translation>正在加载 {name}…</translation>
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source>logit lens: each layer's residual stream through the final norm and unembedding; top token and probability per position (hover for the top 5)</source>
      <translation>logit 透镜：把每一层的残差流送过最终归一化和反嵌入；每个位置显示最可能的词元及其概率（悬停查看前 5 个）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>logits → softmax</source>
      <translation>logits → softmax</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>mask (−∞)</source>
      <translation>掩码（−∞）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>masked fill</source>
      <translation>掩码填空</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>masked scores (−∞ = may not attend)</source>
      <translation>掩码后的分数（−∞ = 不可关注）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>max new tokens</source>
      <translation>最多新词元数</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>max-new-tokens</source>
      <translation>达到最多新词元数</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>mean</source>
      <translation>平均</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>mean of heads</source>
      <translation>各头平均</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>memory estimate unavailable: {error}</source>
      <translation>无法估算内存：{error}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>memory estimate: unknown format</source>
      <translation>内存估算：未知格式</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>memory: {model} model + {trace} trace</source>
      <translation>内存：模型 {model} + 追踪 {trace}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>min new tokens</source>
      <translation>最少新词元数</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>min-p</source>
      <translation>min-p</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>model changed: the {old} output was cleared</source>
      <translation>模型已更换：{old} 的输出已清除</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>model: {name}</source>
      <translation>模型：{name}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>module</source>
      <translation>模块</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>next token after position {p} ‘{token}’: softmax of the logits, top {k}</source>
      <translation>位置 {p} ‘{token}’ 之后的下一个词元：logits 的 softmax，前 {k} 个</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>next-token</source>
      <translation>下一个词元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <location filename="../../gui/lab/lab_widget.py" />
      <source>next-token probabilities</source>
      <translation>下一个词元的概率</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>no edits</source>
      <translation>未修改</translation>
    </message>
    <message>
      <location filename="../../gui/i18n.py" />
      <source>no font for Chinese text is installed: on Debian/Ubuntu install {packages}</source>
      <translation>未安装中文字体：在 Debian/Ubuntu 上请安装 {packages}</translation>
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source>no logit lens: this model has no language-model head, so there is no unembedding to read its layers' hidden states through</source>
      <translation>没有 logit 透镜：该模型没有语言模型头，因此没有反嵌入可以用来解读各层的隐藏状态</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>no model</source>
      <translation>没有模型</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/lab/controller.py" />
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/session.py" />
      <source>no model is loaded yet</source>
      <translation>尚未加载模型</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>no running beam can beat the finished ones</source>
      <translation>没有仍在运行的束能胜过已结束的束</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>no scaling</source>
      <translation>不缩放</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>no sentence embedding: {why}</source>
      <translation>没有句向量：{why}</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>no similarity: {msg}</source>
      <translation>无法计算相似度：{msg}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>norm statistic</source>
      <translation>归一化统计量</translation>
    </message>
    <message>
      <location filename="../../gui/views/ffn.py" />
      <source>norm statistic: {description}</source>
      <translation>归一化统计量：{description}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>normalized</source>
      <translation>归一化后</translation>
    </message>
    <message>
      <location filename="../../gui/views/logit_lens.py" />
      <source>not computed yet</source>
      <translation>尚未计算</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>not valid JSON (line {line}): was the save interrupted?</source>
      <translation>不是有效的 JSON（第 {line} 行）：保存过程是否被中断了？</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>nothing to export yet: run a prompt first</source>
      <translation>还没有可导出的内容：请先运行一个提示词</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>nothing to record yet: load a model and run a prompt first</source>
      <translation>还没有可录制的内容：请先加载模型并运行一个提示词</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>off</source>
      <translation>关</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>on the lab's text “{text}”{generated} · {what} · top token ‘{top_b}’ p={p_b:.4f} → ‘{top_a}’ p={p_a:.4f}</source>
      <translation>在实验台文本“{text}”{generated}上 · {what} · 最可能的词元 ‘{top_b}’ p={p_b:.4f} → ‘{top_a}’ p={p_a:.4f}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>one device</source>
      <translation>单个设备</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>one-hot target</source>
      <translation>独热目标</translation>
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>p · bits</source>
      <translation>p · 比特</translation>
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>p(chosen) · entropy [bits]</source>
      <translation>p(所选) · 熵 [比特]</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>p2c: k · relative-position queries (position → content)</source>
      <translation>p2c：k · 相对位置查询（位置 → 内容）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>p2c: position → content</source>
      <translation>p2c：位置 → 内容</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>pause after the current step (Resume goes on)</source>
      <translation>当前步骤结束后暂停（“继续”接着运行）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>paused</source>
      <translation>已暂停</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>per-head output (W_O)</source>
      <translation>每个头的输出（W_O）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>pooled (dense + activation)</source>
      <translation>池化（全连接 + 激活）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/views/base.py" />
      <location filename="../../gui/views/heatmap.py" />
      <source>position</source>
      <translation>位置</translation>
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>position </source>
      <translation>位置 </translation>
    </message>
    <message>
      <location filename="../../gui/panels/inspector.py" />
      <source>position: last</source>
      <translation>位置：最后一个</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>positional encoding</source>
      <translation>位置编码</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>predicted distribution per position</source>
      <translation>每个位置的预测分布</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>predicted p per position (probe)</source>
      <translation>每个位置的预测概率（探针）</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>preparing the recording…</source>
      <translation>正在准备录制文件…</translation>
    </message>
    <message>
      <location filename="../../gui/tour/presenter.py" />
      <source>preparing this stop: running %1…</source>
      <translation>正在准备这一站：运行 %1…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>press Fill: the text's attention (any layer, head) appears here</source>
      <translation>点“填空”：文本的注意力（任意层、任意头）显示在这里</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>press Fill: the text's token embeddings appear here</source>
      <translation>点“填空”：文本的词元嵌入显示在这里</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>press Play or Step to watch the tokenizer work, step by step</source>
      <translation>点“播放”或“单步”，一步一步观看分词器如何工作</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>press Train to start: the loss curve and attention appear here</source>
      <translation>点“训练”开始：损失曲线和注意力显示在这里</translation>
    </message>
    <message>
      <location filename="../../gui/lab/prob_bars.py" />
      <location filename="../../gui/views/class_probs.py" />
      <location filename="../../gui/views/probabilities.py" />
      <source>probability</source>
      <translation>概率</translation>
    </message>
    <message>
      <location filename="../../gui/lab/prob_bars.py" />
      <source>probability · top {rows} of {held} shown</source>
      <translation>概率 · 显示 {held} 个中的前 {rows} 个</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>project in (to d_model)</source>
      <translation>输入投影（到 d_model）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>project out (to d_embed)</source>
      <translation>输出投影（到 d_embed）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>prompt</source>
      <translation>提示词</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>prompt (source text for a translator)</source>
      <translation>提示词（翻译模型的源文本）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/beam_tree.py" />
      <source>pruned</source>
      <translation>已剪枝</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>put back the prompt you typed (another view replaced it)</source>
      <translation>恢复你输入的提示词（它被另一个视图替换了）</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>queries come from the decoder, keys and values from the encoder output</source>
      <translation>查询来自解码器，键和值来自编码器输出</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <location filename="../../gui/views/attention.py" />
      <location filename="../../gui/views/attention_lines.py" />
      <location filename="../../gui/views/base.py" />
      <source>query</source>
      <translation>查询</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>ranking entry {i}</source>
      <translation>排名条目 {i}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>raw</source>
      <translation>原始</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>raw logits (before soft-cap)</source>
      <translation>原始 logits（软上限之前）</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>raw scores q·kᵀ</source>
      <translation>原始分数 q·kᵀ</translation>
    </message>
    <message>
      <location filename="../../gui/engine_calls.py" />
      <source>reading {name}…</source>
      <translation>正在读取 {name}…</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention_grid.py" />
      <source>recomputing the layers' patterns: </source>
      <translation>正在重新计算各层的注意力模式：</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>recording saved to {path} (about {size})</source>
      <translation>录制已保存到 {path}（约 {size}）</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>recording {name} of {model}</source>
      <translation>{model} 的录制 {name}</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>recording: {model}</source>
      <translation>录制：{model}</translation>
    </message>
    <message>
      <location filename="../../gui/views/base.py" />
      <source>relative distance</source>
      <translation>相对距离</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>relative position bias</source>
      <translation>相对位置偏置</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>relative position bias of this head (by key − query offset)</source>
      <translation>该头的相对位置偏置（按 键 − 查询 的偏移）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>relative-position embeddings</source>
      <translation>相对位置嵌入</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>repetition penalty</source>
      <translation>重复惩罚</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>rescale (× d_model^-0.5)</source>
      <translation>重新缩放（× d_model^-0.5）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual after attention</source>
      <translation>注意力之后的残差</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual after cross-attention</source>
      <translation>交叉注意力之后的残差</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual in</source>
      <translation>残差输入</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>residual out</source>
      <translation>残差输出</translation>
    </message>
    <message>
      <location filename="../../gui/tour/recorder.py" />
      <source>run a prompt first: a stop is the view of a run</source>
      <translation>请先运行一个提示词：一站就是某次运行的一个视图</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>run cancelled; the previous trace is still shown</source>
      <translation>运行已取消；仍显示上一次的追踪结果</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>running…</source>
      <translation>运行中…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>runs the lab's prompt (the box on the left) plus what the lab generated, not the debugger's · click a cell (row = layer, column = head) to choose it: each click cycles off → 0 zero → μ mean → × scale</source>
      <translation>运行的是实验台的提示词（左侧的输入框）加上实验台已生成的内容，而不是调试器的 · 点击一个格子（行 = 层，列 = 头）来选择它：每次点击依次切换 关 → 0 置零 → μ 平均 → × 缩放</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>sample: draw from the processed distribution</source>
      <translation>采样：从处理后的分布中抽取</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>save the trained model as a loadable model folder</source>
      <translation>把训练好的模型保存为可加载的模型文件夹</translation>
    </message>
    <message>
      <location filename="../../gui/export.py" />
      <source>save the {name} chart as PNG or SVG</source>
      <translation>把{name}图表保存为 PNG 或 SVG</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>saved to {path} — open it with File ▸ Open model folder</source>
      <translation>已保存到 {path} —— 用 文件 ▸ 打开模型文件夹 打开它</translation>
    </message>
    <message>
      <location filename="../../gui/tour/menu.py" />
      <source>saved your tour to %1</source>
      <translation>你的导览已保存到 %1</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>saved {path}</source>
      <translation>已保存 {path}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>scale</source>
      <translation>缩放</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>scale × </source>
      <translation>缩放 × </translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>scaled scores (÷ the divisor in the step's description)</source>
      <translation>缩放后的分数（÷ 步骤说明中的除数）</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>scores + relative position bias</source>
      <translation>分数 + 相对位置偏置</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>scores Q·Kᵀ</source>
      <translation>分数 Q·Kᵀ</translation>
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>scroll to zoom, drag to pan, double-click to reset</source>
      <translation>滚轮缩放，拖动平移，双击复原</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>second prompt:</source>
      <translation>第二个提示词：</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>segment embedding</source>
      <translation>段嵌入</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <location filename="../../gui/views/attention.py" />
      <source>self-attention</source>
      <translation>自注意力</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>sentence embedding</source>
      <translation>句向量</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>sentence embedding of the prompt: {pooling} (as {source} say)</source>
      <translation>提示词的句向量：{pooling}（依据 {source}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>session restored ({tokens} tokens, {nodes} tree nodes); generate again to see the charts</source>
      <translation>会话已恢复（{tokens} 个词元，{nodes} 个树节点）；再次生成即可看到图表</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>session restored: {steps} steps, {tokens} tokens, {nodes} tree nodes, the charts as saved · Next token starts a new run</source>
      <translation>会话已恢复：{steps} 步，{tokens} 个词元，{nodes} 个树节点，图表与保存时一致 · “下一个词元”开始新的运行</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>session saved to {path}</source>
      <translation>会话已保存到 {path}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>setting {name} is not one the lab has</source>
      <translation>实验台没有设置项 {name}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>setting {name} {value} is outside the lab's range for it ({lo:g} … {hi:g})</source>
      <translation>设置项 {name} 的值 {value} 超出了实验台的范围（{lo:g} … {hi:g}）</translation>
    </message>
    <message>
      <location filename="../../gui/quit_signals.py" />
      <source>settings cannot be saved to {path}: {error}</source>
      <translation>设置无法保存到 {path}：{error}</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>show every remaining step at once</source>
      <translation>一次显示剩下的所有步骤</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention_grid.py" />
      <source>showing the previous run's thumbnails: this run's are on the way…</source>
      <translation>显示的是上一次运行的缩略图：本次运行的正在生成…</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>showing the {what}, read-only: every view is the recorded run; load a model to run new prompts</source>
      <translation>正在显示{what}，只读：每个视图都是录制下来的运行；加载一个模型即可运行新的提示词</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>showing {what}</source>
      <translation>正在显示{what}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>soft-cap tanh(x/c)·c</source>
      <translation>软上限 tanh(x/c)·c</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>soft-capped scores tanh(x / c) · c</source>
      <translation>软上限后的分数 tanh(x / c) · c</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>softmax</source>
      <translation>softmax</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <source>source</source>
      <translation>源</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>stages</source>
      <translation>处理阶段</translation>
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <location filename="../../gui/lab/training_view.py" />
      <source>step</source>
      <translation>步</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>step {step} ({strategy}): chose ‘{token}’ p = {p:.4f} under the final stage · orange = the token taken</source>
      <translation>第 {step} 步（{strategy}）：选中 ‘{token}’，最终阶段下 p = {p:.4f} · 橙色 = 选中的词元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>step {step}/{total} · loss {loss:.4f} · token accuracy {accuracy:.0%} · lr {lr:.2e}</source>
      <translation>第 {step}/{total} 步 · 损失 {loss:.4f} · 词元准确率 {accuracy:.0%} · 学习率 {lr:.2e}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <source>step {step}: next-token probabilities</source>
      <translation>第 {step} 步：下一个词元的概率</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>steps </source>
      <translation>步数 </translation>
    </message>
    <message>
      <location filename="../../gui/tour/presenter.py" />
      <source>stop %1/%2</source>
      <translation>第 %1/%2 站</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>stop after the current step</source>
      <translation>当前步骤结束后停止</translation>
    </message>
    <message>
      <location filename="../../gui/lab/side_jobs.py" />
      <source>stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <location filename="../../gui/lab/model_following.py" />
      <source>stopped: loading another model failed; {model} is still loaded · Next token / Generate N continue this run</source>
      <translation>已停止：加载另一个模型失败；{model} 仍处于加载状态 · “下一个词元”/“生成 N 个”继续本次运行</translation>
    </message>
    <message>
      <location filename="../../gui/lab/side_jobs.py" />
      <source>stopped: loading {model} failed; {still} is still loaded · {button} runs it again</source>
      <translation>已停止：加载 {model} 失败；{still} 仍处于加载状态 · “{button}”可再次运行</translation>
    </message>
    <message>
      <location filename="../../gui/lab/model_following.py" />
      <location filename="../../gui/lab/side_jobs.py" />
      <source>stopped: model changed (loading {model})</source>
      <translation>已停止：模型已更换（正在加载 {model}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>stopped: model changed · the {old} run was cancelled after {steps} steps; its output was cleared</source>
      <translation>已停止：模型已更换 · {old} 的运行在 {steps} 步后被取消；其输出已清除</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>stopping: {why}…</source>
      <translation>正在停止：{why}…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>strategy</source>
      <translation>策略</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>strategy {value} is not one the lab has ({items})</source>
      <translation>实验台没有策略 {value}（可选：{items}）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>sum of embeddings</source>
      <translation>嵌入之和</translation>
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>sum to 1</source>
      <translation>总和为 1</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <location filename="../../gui/lab/translation_view.py" />
      <source>target</source>
      <translation>目标</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>target position</source>
      <translation>目标位置</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>the cross-attention heatmap appears here: a row per target token as the translation is generated</source>
      <translation>交叉注意力热力图显示在这里：生成译文时，每个目标词元一行</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>the debugger's prompt; the decoding lab has its own (its ⇦ debugger's button copies this one)</source>
      <translation>调试器的提示词；解码实验台有它自己的提示词（实验台的“⇦ 调试器的”按钮会复制这一个）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>the file is empty</source>
      <translation>文件是空的</translation>
    </message>
    <message>
      <location filename="../../gui/worker.py" />
      <source>the job</source>
      <translation>该任务</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>the lab session has no '{key}'</source>
      <translation>实验台会话中没有 '{key}'</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>the lab's masked fill tab: candidates for each [MASK] and where it looks</source>
      <translation>实验台的“掩码填空”标签页：每个 [MASK] 的候选词以及它关注的位置</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>the lab's own prompt: generation, masked fill and interventions run it; the debugger has its own (the Prompt panel)</source>
      <translation>实验台自己的提示词：生成、掩码填空和干预都运行它；调试器有自己的提示词（“提示词”面板）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>the lab's prompt is now the debugger's</source>
      <translation>实验台的提示词现在与调试器的相同</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>the recorded lab run of {model}, read-only: load a model to generate</source>
      <translation>{model} 在实验台上录制的运行，只读：加载一个模型即可生成</translation>
    </message>
    <message>
      <location filename="../../gui/lab/__init__.py" />
      <source>the step that chose ‘{token}’ (beam node at step {step})</source>
      <translation>选中 ‘{token}’ 的那一步（第 {step} 步的束搜索节点）</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>the step-by-step tokenizer explainer is not available in this build</source>
      <translation>此版本中没有分词器逐步讲解功能</translation>
    </message>
    <message>
      <location filename="../../gui/theme_menu.py" />
      <source>theme: {choice} ({name})</source>
      <translation>主题：{choice}（{name}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/session_file.py" />
      <source>this file is not a Transformer Playground lab session</source>
      <translation>这个文件不是 Transformer Playground 的实验台会话</translation>
    </message>
    <message>
      <location filename="../../gui/recording_menu.py" />
      <source>this is the recording {name} already: its file is the recording</source>
      <translation>这已经是录制 {name}：它的文件就是录制</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>this layer has no weights of its own: it runs {layer}'s parameters (its inputs, and so every step, are its own)</source>
      <translation>该层没有自己的权重：它运行 {layer} 的参数（但它的输入以及每一步都是它自己的）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_charts.py" />
      <location filename="../../gui/views/probabilities.py" />
      <source>this model</source>
      <translation>该模型</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>this model has no output head (no logits to show)</source>
      <translation>该模型没有输出头（没有可显示的 logits）</translation>
    </message>
    <message>
      <location filename="../../gui/tour/stage_widgets.py" />
      <source>this model: %1, %2 positions × %3 dimensions (from the run)</source>
      <translation>这个模型：%1，%2 个位置 × %3 个维度（来自本次运行）</translation>
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>this run recorded no label probabilities (not a sequence classifier)</source>
      <translation>本次运行没有记录标签概率（不是序列分类器）</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention_grid.py" />
      <source>this run's thumbnails are on the way…</source>
      <translation>本次运行的缩略图正在生成…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>timeline</source>
      <translation>时间线</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <location filename="../../gui/views/token_table.py" />
      <source>token</source>
      <translation>词元</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>token at position {p} ‘{token}’ as the masked-LM head predicts it: softmax of the logits, top {k} (put [MASK] in the prompt to ask for a word)</source>
      <translation>掩码语言模型头对位置 {p} ‘{token}’ 的预测：logits 的 softmax，前 {k} 个（在提示词中放入 [MASK] 来询问一个词）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>token embeddings</source>
      <translation>词元嵌入</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>token embeddings (hook_embed)</source>
      <translation>词元嵌入（hook_embed）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>token id {id} in {where} is outside the model's vocabulary ({model} has {vocab} tokens)</source>
      <translation>{where} 中的词元 id {id} 超出了模型的词表（{model} 只有 {vocab} 个词元）</translation>
    </message>
    <message>
      <location filename="../../gui/views/token_table.py" />
      <source>token string {token} · vocabulary entry {entry}</source>
      <translation>词元字符串 {token} · 词表条目 {entry}</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>tokenization</source>
      <translation>分词</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>tokenizer steps</source>
      <translation>分词步骤</translation>
    </message>
    <message>
      <location filename="../../gui/lab/controller.py" />
      <source>tokens</source>
      <translation>词元</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>tokens {first}–{last} coloured (around the selected position; the table lists all)</source>
      <translation>已着色词元 {first}–{last}（所选位置附近；表格列出全部）</translation>
    </message>
    <message>
      <location filename="../../gui/views/ffn.py" />
      <source>top {k} neurons at position {p} ‘{token}’</source>
      <translation>位置 {p} ‘{token}’ 上最大的 {k} 个神经元</translation>
    </message>
    <message>
      <location filename="../../gui/lab/prob_bars.py" />
      <source>top {rows} of {held} shown</source>
      <translation>显示 {held} 个中的前 {rows} 个</translation>
    </message>
    <message>
      <location filename="../../gui/lab/prob_bars.py" />
      <source>top {rows}/{held}</source>
      <translation>前 {rows}/{held}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>top-k</source>
      <translation>top-k</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>top-p</source>
      <translation>top-p</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>train the micro translator for this many steps</source>
      <translation>把微型翻译模型训练这么多步</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>training</source>
      <translation>训练</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>training loss</source>
      <translation>训练损失</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>training: building the tokenizer and the model; the charts appear at the first report</source>
      <translation>训练中：正在构建分词器和模型；第一次汇报时会出现图表</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>trains a 1-layer encoder-decoder on the example sentences (je suis étudiant → i am a student)</source>
      <translation>在示例句子上训练一个 1 层的编码器-解码器（je suis étudiant → i am a student）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/lab_widget.py" />
      <source>translation</source>
      <translation>翻译</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>unchanged</source>
      <translation>不变</translation>
    </message>
    <message>
      <location filename="../../gui/views/hidden_output.py" />
      <source>value</source>
      <translation>值</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>weighted sum of V (z)</source>
      <translation>V 的加权和（z）</translation>
    </message>
    <message>
      <location filename="../../gui/views/qkv.py" />
      <source>z = pattern·V</source>
      <translation>z = 注意力模式·V</translation>
    </message>
    <message>
      <location filename="../../gui/lab/ablation_panel.py" />
      <source>zero</source>
      <translation>置零</translation>
    </message>
    <message>
      <location filename="../../gui/views/probabilities.py" />
      <source>{arch} has no language-model head: its output is the final hidden state ({name}, [{n} positions × d_model {d}]), a vector per position, not a score per vocabulary entry, so there are no token probabilities to show.</source>
      <translation>{arch} 没有语言模型头：它的输出是最终隐藏状态（{name}，[{n} 个位置 × d_model {d}]），每个位置一个向量，而不是每个词表条目一个分数，因此没有词元概率可以显示。</translation>
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <source>{description} · {n} labels, from the first token; the probabilities {what}</source>
      <translation>{description} · {n} 个标签，来自第一个词元；这些概率{what}</translation>
    </message>
    <message>
      <location filename="../../gui/worker.py" />
      <source>{job} failed: {kind}: {error}</source>
      <translation>{job} 失败：{kind}：{error}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{k}nd</source>
      <translation>{k}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{k}rd</source>
      <translation>{k}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{k}st</source>
      <translation>{k}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{k}th</source>
      <translation>{k}</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>{layer} · {kind} · head {head} · {what}</source>
      <translation>{layer} · {kind} · 头 {head} · {what}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>{model} loaded: press Fill</source>
      <translation>{model} 已加载：点“填空”</translation>
    </message>
    <message>
      <location filename="../../gui/lab/training_view.py" />
      <source>{module} head 0</source>
      <translation>{module} 头 0</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>{n:.2f} M params</source>
      <translation>{n:.2f} M 个参数</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>{name}  (path)</source>
      <translation>{name}  （路径）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>{name}  ({kind}) — cannot open</source>
      <translation>{name}  （{kind}）—— 无法打开</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{name} ({every} labelled)</source>
      <translation>{name}（{every}标注一个）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{name} ({every} labelled; hover for each)</source>
      <translation>{name}（{every}标注一个；悬停查看每一个）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/token_heatmap.py" />
      <source>{name} ({every})</source>
      <translation>{name}（{every}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>{name} has no encoder, so there is no cross-attention to show: load an encoder-decoder model (e.g. tiny-translator) for this tab</source>
      <translation>{name} 没有编码器，因此没有交叉注意力可以显示：请为这个标签页加载一个编码器-解码器模型（例如 tiny-translator）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>{name} is an encoder-decoder: type a source sentence and press Generate (or Translate “{example}”, or Summarise a paragraph); each target token adds a row of cross-attention</source>
      <translation>{name} 是编码器-解码器模型：输入一个源句子并点“生成”（或点“翻译“{example}””，或为一段文字生成摘要）；每个目标词元增加一行交叉注意力</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>{name} is loaded: type a prompt and press Enter.</source>
      <translation>{name} 已加载：输入提示词，然后按回车。</translation>
    </message>
    <message>
      <location filename="../../gui/tour/captions_dialog.py" />
      <source>{name} puts in a number the stop's facts compute (see the built-in tour's file).</source>
      <translation>{name} 会填入由该站点的数据算出的数字（见内置导览的文件）。</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>{name}, head {head}</source>
      <translation>{name}，头 {head}</translation>
    </message>
    <message>
      <location filename="../../gui/lab/masked_fill_view.py" />
      <source>{n} mask(s): top {k} candidates each (softmax of the MLM head's logits)</source>
      <translation>{n} 个掩码：每个取前 {k} 个候选（MLM 头 logits 的 softmax）</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>{n} steps ({model})</source>
      <translation>{n} 步（{model}）</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>{n} steps · {reason}</source>
      <translation>{n} 步 · {reason}</translation>
    </message>
    <message>
      <location filename="../../gui/views/class_probs.py" />
      <location filename="../../gui/views/probabilities.py" />
      <source>{p:.4f}  (logit {logit:.3f})</source>
      <translation>{p:.4f}  （logit {logit:.3f}）</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention.py" />
      <source>{part} · head {head}</source>
      <translation>{part} · 头 {head}</translation>
    </message>
    <message>
      <location filename="../../gui/views/attention_grid.py" />
      <source>{progress} done…</source>
      <translation>已完成 {progress}…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/stage_charts.py" />
      <source>{stage}: {kept:,} kept</source>
      <translation>{stage}：保留 {kept:,} 个</translation>
    </message>
    <message>
      <location filename="../../gui/lab/run_state.py" />
      <source>{strategy}: running…</source>
      <translation>{strategy}：运行中…</translation>
    </message>
    <message>
      <location filename="../../gui/lab/translation_view.py" />
      <source>{target} target tokens × {source} source tokens: each row is where the decoder looked in the source when it produced that token</source>
      <translation>{target} 个目标词元 × {source} 个源词元：每一行表示解码器在生成该词元时关注了源文本的哪些位置</translation>
    </message>
    <message>
      <location filename="../../gui/view_export.py" />
      <source>{title} chart</source>
      <translation>“{title}”图表</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>{tokens} tokens · {chars} characters · {per:.2f} characters per token</source>
      <translation>{tokens} 个词元 · {chars} 个字符 · 平均每个词元 {per:.2f} 个字符</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>{why} — your prompt is kept (↶ Your prompt)</source>
      <translation>{why} —— 你的提示词已保留（↶ 你的提示词）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/navigator.py" />
      <source>÷ scale</source>
      <translation>÷ 缩放</translation>
    </message>
    <message>
      <location filename="../../gui/panels/prompt_panel.py" />
      <source>↶ Your prompt</source>
      <translation>↶ 你的提示词</translation>
    </message>
    <message>
      <location filename="../../gui/lab/generation_panel.py" />
      <source>⇦ debugger's</source>
      <translation>⇦ 调试器的</translation>
    </message>
    <message>
      <location filename="../../gui/views/heatmap.py" />
      <source>−∞ (masked)</source>
      <translation>−∞（已掩码）</translation>
    </message>
    <message>
      <location filename="../../gui/panels/model_panel.py" />
      <source>≈ {count} parameters → about {size} of memory in {dtype} (plus the trace)</source>
      <translation>≈ {count} 个参数 → 以 {dtype} 计约占 {size} 内存（另加追踪数据）</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>⏸ Pause</source>
      <translation>⏸ 暂停</translation>
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>━━ entropy (bits)</source>
      <translation>━━ 熵（比特）</translation>
    </message>
    <message>
      <location filename="../../gui/views/tokens.py" />
      <source>▶ Play</source>
      <translation>▶ 播放</translation>
    </message>
    <message>
      <location filename="../../gui/main_window.py" />
      <source>◀ Back</source>
      <translation>◀ 后退</translation>
    </message>
    <message>
      <location filename="../../gui/lab/timeline.py" />
      <source>●━ p(chosen)</source>
      <translation>●━ p(所选)</translation>
    </message>
    <message>
      <location filename="../../gui/tour/captions_dialog.py" />
      <source>中文</source>
      <translation>中文</translation>
    </message>
  </context>
</TS>
