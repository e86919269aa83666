"""The API's request and response models (generated from ``openapi.yaml``).

``from mistral_sdk.models import ChatCompletionRequest`` loads only that model's module: the SDK has
hundreds of models and most programs use a handful, so nothing is imported before it is asked for.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._generated.models import *  # noqa: F403
    from ._generated.models import __all__ as __all__
else:
    from ._generated import models as _models

    __all__ = _models.__all__

    def __getattr__(name):
        return getattr(_models, name)

    def __dir__():
        return sorted(__all__)
