"""Packaging for mmfreqkd.

Like mmrazor's setup.py, the ``configs`` and ``tools`` folders are exposed as
``mmfreqkd/.mim/{configs,tools}`` so that ``mim train mmfreqkd CONFIG`` finds them: symlinked for
an editable install, copied into wheels and sdists.
"""
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

ROOT = osp.dirname(osp.abspath(__file__))
MIM_ITEMS = ('configs', 'tools')


def read_version():
    scope = {}
    with open(osp.join(ROOT, 'mmfreqkd', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def read_requirements(name):
    """Requirement lines of requirements/<name>.txt (comments and includes dropped)."""
    reqs = []
    with open(osp.join(ROOT, 'requirements', f'{name}.txt')) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line and not line.startswith('-'):
                reqs.append(line)
    return reqs


def add_mim_extension():
    """Expose configs/ and tools/ under mmfreqkd/.mim (symlinks when editable, else copies)."""
    editable = any(cmd in sys.argv for cmd in ('develop', 'editable_wheel'))
    if not editable and not any(cmd in sys.argv for cmd in ('sdist', 'bdist_wheel')):
        return
    mim_path = osp.join(ROOT, 'mmfreqkd', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for item in MIM_ITEMS:
        src, dst = osp.join(ROOT, item), osp.join(mim_path, item)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if editable:
            os.symlink(osp.relpath(src, mim_path), dst)
        else:
            shutil.copytree(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmfreqkd',
        version=read_version(),
        description='Frequency- and texture-domain knowledge distillation for OpenMMLab',
        long_description=open(osp.join(ROOT, 'README.md'), encoding='utf-8').read(),
        long_description_content_type='text/markdown',
        license='Apache License 2.0',
        python_requires='>=3.9',
        packages=find_packages(exclude=('configs', 'tools', 'tests', 'benchmarks')),
        include_package_data=True,
        package_data={'mmfreqkd': ['.mim/configs/**/*', '.mim/tools/**/*']},
        install_requires=read_requirements('mminstall') + read_requirements('runtime'),
        extras_require={'tests': read_requirements('tests'),
                        'timm': read_requirements('optional')},
        zip_safe=False)
