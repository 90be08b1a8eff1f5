from .restoration_metrics import PSNR, SSIM, psnr, rgb_to_y, ssim

__all__ = ['PSNR', 'SSIM', 'psnr', 'ssim', 'rgb_to_y']
