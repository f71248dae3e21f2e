package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Words: maximal runs of Unicode letters or digits, lowercased with the root locale. */
class WordsTest {

    private static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        Words.split(line, words::add);
        return words;
    }

    @Test
    void punctuationAndCase() {
        assertEquals(List.of("hello", "world"), split("Hello, WORLD!"));
        assertEquals(List.of("it", "s", "a", "well", "known", "fact"), split("It's a well-known fact..."));
        assertEquals(List.of("snake", "case"), split("snake_case")); // '_' is connector punctuation, not a letter
    }

    @Test
    void digitsBelongToWords() {
        assertEquals(List.of("a1b2", "c"), split("a1b2 c"));
        assertEquals(List.of("2024", "10", "3", "14"), split("2024-10: 3.14"));
        assertEquals(List.of("١٢٣", "１２３x"), split("١٢٣ １２３X")); // Arabic-Indic and fullwidth decimal digits
    }

    @Test
    void nonLatinLettersAreLowercased() {
        assertEquals(List.of("äpfel", "über", "öl"), split("Äpfel über ÖL"));
        assertEquals(List.of("straße"), split("Straße"));
        assertEquals(List.of("москва", "αθήνα", "東京都", "مرحبا"), split("МОСКВА; Αθήνα「東京都」مرحبا"));
    }

    @Test
    void supplementaryLettersAreLetters() {
        assertEquals(List.of("𝐀𝐁"), split("𝐀𝐁")); // mathematical bold capitals: letters, no lowercase form
        assertEquals(List.of("x𝐀y", "𠜎z"), split("X𝐀Y 𠜎Z"));
        assertEquals(List.of("𐐨𐐩"), split("𐐀𐐁")); // Deseret capitals lowercase to supplementary small letters
    }

    @Test
    void symbolsAndOtherNumbersSeparateWords() {
        assertEquals(List.of("a", "b"), split("a😀b")); // emoji are symbols
        assertEquals(List.of("x", "y"), split("x²y")); // superscript two is not a decimal digit
        assertEquals(List.of("chapter"), split("Chapter Ⅻ ½")); // letter numbers and fractions are not words
        assertEquals(List.of("tab", "nbsp"), split("\ttab\u00A0nbsp\u2003"));
    }

    @Test
    void nothingToSplit() {
        assertEquals(List.of(), split(""));
        assertEquals(List.of(), split("   \t "));
        assertEquals(List.of(), split("!?.,;:—«»😀"));
    }

    @Test
    void combiningMarksAndLoneSurrogatesAreNotLetters() {
        // A decomposed "é" is 'e' + a combining mark (a non-spacing mark, not a letter): the word ends at the mark.
        assertEquals(List.of("cafe"), split("cafe\u0301"));
        assertEquals(List.of("abc", "def"), split("abc\uD800def"));
        assertEquals(List.of("abc"), split("\uDC00abc\uD800"));
    }

    @Test
    void wordsComeOutInOrder() {
        assertEquals(List.of("the", "cat", "the", "hat"), split("The cat. THE hat"));
    }
}
