# The embedded restoration student: restore_nafnet_w16.py at half the width (8/16/32 channels)
# with one block per level: 83 % fewer parameters and 82 % fewer FLOPs than its teacher (SLKD's
# students are >80 % smaller on both counts).
model = dict(
    type='mmfreqkd.NAFNet', width=8, enc_blocks=(1, 1, 1), middle_blocks=1,
    dec_blocks=(1, 1, 1))
