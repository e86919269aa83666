"""List the available models, look one up by name, and find the models that can see images."""

from _connect import connect

from mistral_sdk.models import BaseModelCard, FTModelCard

with connect() as client:
    for card in client.models.list().data or []:
        if isinstance(card, BaseModelCard | FTModelCard):
            print(f"{card.id:50} {card.type_:10} context={card.max_context_length}")
        else:  # a kind of model newer than this SDK: kept as the raw mapping
            print(f"{card.additional_properties.get('id')!s:50} (unknown kind)")

    model = client.models.retrieve("mistral-small-latest")
    if isinstance(model, BaseModelCard | FTModelCard):
        print(f"\nmistral-small-latest: {model.id}, {model.description}")

    vision = client.search_models(["vision"])
    print("with vision:", ", ".join(card.id for card in vision) or "none")
