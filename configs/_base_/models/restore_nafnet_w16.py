# The embedded restoration teacher: a NAFNet of three levels at width 16 (16/32/64 channels,
# encoder blocks 2/2/2, two in the middle, decoder blocks 1/1/2 from the deepest), images in
# [0, 1].
model = dict(
    type='mmfreqkd.NAFNet', width=16, enc_blocks=(2, 2, 2), middle_blocks=2,
    dec_blocks=(1, 1, 2))
