"""The one exception the pipeline raises for bad input: the message is meant for a person."""

__all__ = ["PipelineError"]


class PipelineError(Exception):
    """A spec, overlay, mirror or setting the pipeline cannot use; nothing has been overwritten."""
