"""A DataLoader over a TensorDataset with a custom sampler, a batch sampler and a collate function,
feeding a linear model, under minitorch and PyTorch: the same batches in the same order."""


def make_sampler(torch):
    """A sampler that visits the items longest first (by the number of nonzero tokens)."""

    class LongestFirst(torch.utils.data.Sampler):
        def __init__(self, lengths):
            self.lengths = lengths

        def __iter__(self):
            return iter(sorted(range(len(self.lengths)), key=lambda i: (-self.lengths[i], i)))

        def __len__(self):
            return len(self.lengths)

    return LongestFirst


def load_and_fit(torch, same_start):
    """Batches of padded sequences trimmed by collate, a bag-of-embeddings model, a few SGD steps."""
    nn = torch.nn
    BatchSampler, DataLoader = torch.utils.data.BatchSampler, torch.utils.data.DataLoader
    RandomSampler, TensorDataset = torch.utils.data.RandomSampler, torch.utils.data.TensorDataset
    tokens = torch.tensor([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0], [5, 6, 7, 8, 9], [2, 2, 0, 0, 0],
                           [3, 1, 4, 1, 0], [9, 8, 0, 0, 0], [7, 0, 0, 0, 0]])
    labels = torch.tensor([0.5, -1.0, 2.0, 0.0, 1.5, -0.5, 1.0])
    dataset = TensorDataset(tokens, labels)
    lengths = (tokens != 0).sum(dim=1).tolist()

    def collate(batch):
        seqs, ys = zip(*batch)
        width = max(int((s != 0).sum()) for s in seqs)
        return torch.stack(seqs)[:, :width], torch.stack(ys)

    sampler = BatchSampler(make_sampler(torch)(lengths), batch_size=3, drop_last=False)
    loader = DataLoader(dataset, batch_sampler=sampler, collate_fn=collate)
    torch.manual_seed(5)
    embed = same_start(nn.Embedding(10, 4, padding_idx=0))
    head = same_start(nn.Linear(4, 1))
    optimizer = torch.optim.SGD(list(embed.parameters()) + list(head.parameters()), lr=0.1)
    shapes, losses = [], []
    for epoch in range(2):
        for x, y in loader:
            shapes.append(tuple(x.shape))
            emb = embed(x).sum(dim=1)
            loss = nn.functional.mse_loss(head(emb).squeeze(-1), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    shuffled = DataLoader(dataset, batch_size=2, sampler=RandomSampler(dataset, generator=torch.Generator()))
    seen = sorted(v for _, y in shuffled for v in y.tolist())
    assert seen == sorted(labels.tolist()) and len(shuffled) == 4 and len(loader) == 3
    return {"shapes": shapes, "losses": losses}


def test_dataloader_pipeline_as_in_pytorch(run_both, same_numbers):
    ours, theirs = run_both(load_and_fit)
    same_numbers(ours, theirs)
    assert ours["shapes"][:3] == [(3, 5), (3, 2), (1, 1)]
