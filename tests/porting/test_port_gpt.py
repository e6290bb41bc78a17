"""A tiny nanoGPT-style model, written as PyTorch users write it, trained a few steps under minitorch
and PyTorch from the same weights: same losses, gradient norms and greedy continuation."""
import math

TEXT = "first citizen: before we proceed any further, hear me speak. all: speak, speak."


def make_gpt(torch):
    """The model classes, subclassing the given library's ``nn.Module``."""
    nn = torch.nn
    F = torch.nn.functional

    class CausalSelfAttention(nn.Module):
        def __init__(self, n_embd, n_head, block_size):
            super().__init__()
            self.c_attn = nn.Linear(n_embd, 3 * n_embd)
            self.c_proj = nn.Linear(n_embd, n_embd)
            self.n_head = n_head
            mask = torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size)
            self.register_buffer("bias", mask)

        def forward(self, x):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(C, dim=2)
            q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            att = F.softmax(att, dim=-1)
            y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
            return self.c_proj(y)

    class Block(nn.Module):
        def __init__(self, n_embd, n_head, block_size):
            super().__init__()
            self.ln_1 = nn.LayerNorm(n_embd)
            self.attn = CausalSelfAttention(n_embd, n_head, block_size)
            self.ln_2 = nn.LayerNorm(n_embd)
            self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class GPT(nn.Module):
        def __init__(self, vocab_size, block_size, n_embd=16, n_head=2, n_layer=1):
            super().__init__()
            self.block_size = block_size
            self.wte = nn.Embedding(vocab_size, n_embd)
            self.wpe = nn.Embedding(block_size, n_embd)
            self.blocks = nn.ModuleList([Block(n_embd, n_head, block_size) for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(n_embd)
            self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

        def forward(self, idx, targets=None):
            B, T = idx.size()
            pos = torch.arange(0, T, dtype=torch.long, device=idx.device)
            x = self.wte(idx) + self.wpe(pos)
            for block in self.blocks:
                x = block(x)
            logits = self.lm_head(self.ln_f(x))
            loss = None
            if targets is not None:
                loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
            return logits, loss

        @torch.no_grad()
        def generate(self, idx, max_new_tokens, do_sample=False, generator=None):
            for _ in range(max_new_tokens):
                logits, _ = self(idx[:, -self.block_size:])
                probs = F.softmax(logits[:, -1, :], dim=-1)
                if do_sample:
                    idx_next = torch.multinomial(probs, num_samples=1, generator=generator)
                else:
                    _, idx_next = torch.topk(probs, k=1, dim=-1)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    return GPT


def train_gpt(torch, same_start):
    """Train a few AdamW steps with gradient clipping; return losses, norms and the greedy
    continuation. The sampled one (``torch.multinomial`` under a seeded generator) is only checked
    for shape and range: the two libraries' generators draw different numbers."""
    device = torch.device("cpu")
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in TEXT], dtype=torch.long)
    block_size, batch_size = 8, 4
    torch.manual_seed(1337)
    model = same_start(make_gpt(torch)(len(chars), block_size).to(device))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, betas=(0.9, 0.95), weight_decay=0.1)
    losses, norms, log = [], [], []
    for step in range(3):
        ix = [(7 * step + 11 * b) % (len(data) - block_size) for b in range(batch_size)]
        x = torch.stack([data[i:i + block_size] for i in ix]).to(device)
        y = torch.stack([data[i + 1:i + 1 + block_size] for i in ix]).to(device)
        model.train()
        _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        norms.append(float(norm))
        log.append(f"step {step}: loss {loss.item():.4f}")
    model.eval()
    prompt = torch.tensor([[stoi["s"], stoi["p"]]], dtype=torch.long, device=device)
    result = {"losses": losses, "norms": norms, "greedy": model.generate(prompt, 6)[0].tolist()}
    g = torch.Generator().manual_seed(42)
    sampled = model.generate(prompt, 6, do_sample=True, generator=g)
    assert sampled.shape == (1, 8) and 0 <= sampled.min().item() and sampled.max().item() < len(chars)
    assert sampled[0, :2].tolist() == prompt[0].tolist()
    assert len(log) == 3 and log[0].startswith("step 0: loss ")
    return result


def test_tiny_gpt_trains_decodes_and_samples_as_in_pytorch(run_both, same_numbers):
    ours, theirs = run_both(train_gpt)
    same_numbers(ours, theirs)
    assert ours["losses"][-1] < ours["losses"][0]

