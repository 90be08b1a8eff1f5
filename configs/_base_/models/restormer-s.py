# A compact Restormer, SLKD's full-size student: half the width (24) and fewer blocks (1/2/2 +
# 2, decoder 2/2/1, one refinement block): 2.53 M parameters (-90 %) and -91 % FLOPs against
# restormer.py (SLKD's students are >80 % smaller on both counts).
model = dict(
    type='mmfreqkd.Restormer', width=24, enc_blocks=(1, 2, 2), latent_blocks=2,
    dec_blocks=(2, 2, 1), heads=(1, 2, 4, 4), refinement_blocks=1)
