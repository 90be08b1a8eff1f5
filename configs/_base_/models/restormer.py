# Restormer (Zamir et al., CVPR 2022) as published: width 48, blocks 4/6/6 + 8, decoder 6/6/4,
# heads 1/2/4/8, 4 refinement blocks; 26.13 M parameters. SLKD's full-size teacher.
model = dict(type='mmfreqkd.Restormer')
