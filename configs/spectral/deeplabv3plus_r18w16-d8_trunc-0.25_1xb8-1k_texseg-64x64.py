# Feature truncation (spectral analysis, docs/methods/spectral.md) on the embedded texture set:
# DeepLabV3+'s decoder (ASPP, c1 skip path and fusion) runs on features ideally low-passed and
# down-sampled to 0.25 of their side; the logits are up-sampled back.
_base_ = './deeplabv3plus_r18w16-d8_1xb8-1k_texseg-64x64.py'
model = dict(
    decode_head=dict(
        _delete_=True,
        type='mmfreqkd.FeatureTruncationHead',
        head={{_base_.model.decode_head}},
        ratio=0.25,
        mode='spectral'))
