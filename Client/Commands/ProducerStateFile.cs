using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WordCloud.Client.Commands;

/// <summary>
/// Where a producer resumes (<c>produce --state-file</c>): a small JSON file naming the source, the topic, the
/// source's resume point after the last item the window acknowledged, and when it was saved. Saved by writing a
/// temporary file beside it and moving that over it, so a crash leaves the old state or the new, never half of one.
/// </summary>
internal sealed class ProducerStateFile(string path, string sourceKey, string topic)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public string Path => path;

    /// <summary>
    /// The resume point saved for <paramref name="sourceKey"/> and <paramref name="topic"/>; null when there is no
    /// file yet (the first run).
    /// </summary>
    /// <exception cref="ProducerStateException">
    /// The file cannot be read, is not a state file, or is the state of another source or topic; the message names
    /// the file, what it holds and what was asked.
    /// </exception>
    public static string? Load(string path, string sourceKey, string topic)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new ProducerStateException($"cannot use state file '{path}': its folder '{folder}' does not exist");
        }

        if (Directory.Exists(path))
        {
            throw new ProducerStateException($"cannot use state file '{path}': it is a directory");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            throw new ProducerStateException($"cannot read state file '{path}': {unreadable.Message}", unreadable);
        }

        StateDocument? state;
        try
        {
            state = JsonSerializer.Deserialize<StateDocument>(text, Json);
        }
        catch (JsonException corrupt)
        {
            throw new ProducerStateException($"state file '{path}' is not a producer state file ({corrupt.Message}); delete it to start from the beginning", corrupt);
        }

        if (state is not { Source: { } source, Topic: { } savedTopic, Resume: { } resume })
        {
            throw new ProducerStateException($"state file '{path}' is not a producer state file: it needs \"source\", \"topic\" and \"resume\"; delete it to start from the beginning");
        }

        if (source != sourceKey || savedTopic != topic)
        {
            throw new ProducerStateException(
                $"state file '{path}' holds where source '{source}' stopped for topic '{savedTopic}', but this run reads source '{sourceKey}' into topic '{topic}'; name another --state-file, or delete this one to start from the beginning");
        }

        return resume;
    }

    /// <summary>Records <paramref name="resume"/> as where the source resumes, replacing the file whole.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder may not be written.</exception>
    public void Save(string resume, DateTimeOffset savedAt)
    {
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(new StateDocument(sourceKey, topic, resume, savedAt), Json));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw;
        }
    }

    private sealed record StateDocument(
        [property: JsonPropertyName("source")] string? Source,
        [property: JsonPropertyName("topic")] string? Topic,
        [property: JsonPropertyName("resume")] string? Resume,
        [property: JsonPropertyName("savedAt")] DateTimeOffset? SavedAt);
}

/// <summary>A state file that cannot be used as asked; the message says why, naming the file.</summary>
public sealed class ProducerStateException(string message, Exception? inner = null) : Exception(message, inner);
